using System.Diagnostics;

namespace MediaRelay.Sfu;

/// <summary>
/// How long a subscriber's receiver should hold video frames so that NACK repairs arrive before the frame is due.
/// A lost packet comes back about one round trip of the leg it was lost on later (publisher → server, or server →
/// subscriber); receivers size their jitter buffer from arrival jitter alone, so on long lossy links a frame that
/// waits for its repair is shown late or skipped. While either leg needed repairs in the last 5 s, the minimum
/// playout delay is 1.25 × that leg's round trip + 40 ms (at most 600 ms); short links (under 150 ms needed) and
/// clean ones get no hint, so the receiver keeps its own low-latency choice.
/// </summary>
public static class RepairDelayPolicy
{
    public const int MaxMilliseconds = 600;
    private const int MinUsefulMilliseconds = 150;
    private static readonly long RecentTicks = 5 * Stopwatch.Frequency;

    /// <summary>The minimum playout delay (ms) for <paramref name="consumer"/> now; 0 for no hint.</summary>
    public static int Choose(Consumer consumer, long now)
    {
        bool downstream = Recent(consumer.LastNackTimestamp, now);
        bool upstream = Recent(consumer.Producer.LastRepairTimestamp, now);
        if (!downstream && !upstream)
        {
            return 0;
        }
        double subscriberLeg = downstream && consumer.SendStatistics.HasRoundTrip
            ? consumer.SendStatistics.LastRoundTrip.TotalMilliseconds : 0;
        double publisherLeg = upstream ? consumer.Producer.RoundTrip.TotalMilliseconds : 0;
        double needed = Math.Max(subscriberLeg, publisherLeg) * 1.25 + 40;
        return needed < MinUsefulMilliseconds ? 0 : (int)Math.Min(needed, MaxMilliseconds);
    }

    private static bool Recent(long at, long now) => at != 0 && now - at < RecentTicks;
}
