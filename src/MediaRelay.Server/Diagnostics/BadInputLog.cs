using Microsoft.Extensions.Logging;

namespace MediaRelay.Server.Diagnostics;

/// <summary>
/// "Count it in a metric, log it once": every drop is counted; the first drop of each reason is logged with its
/// detail, later ones only when the count reaches a power of two, so a flood cannot flood the log.
/// </summary>
public sealed partial class BadInputLog(ILogger<BadInputLog> logger)
{
    private readonly long[] _counts = new long[Enum.GetValues<DropReason>().Length];

    public void Drop(DropReason reason)
    {
        MediaMetrics.Drop(reason);
        long n = Interlocked.Increment(ref _counts[(int)reason]);
        if ((n & (n - 1)) == 0 && logger.IsEnabled(LogLevel.Warning))
        {
            LogDropped(logger, MediaMetrics.LabelOf(reason), n);
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Dropped bad media input: {Reason} (seen {Count} times)")]
    private static partial void LogDropped(ILogger logger, string reason, long count);
}
