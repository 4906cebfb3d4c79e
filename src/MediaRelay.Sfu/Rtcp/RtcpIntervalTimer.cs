using System.Diagnostics;
using MediaRelay.Core;

namespace MediaRelay.Sfu.Rtcp;

/// <summary>
/// When the next regular report (SR/RR) is due. RFC 3550 §6.2 (https://www.rfc-editor.org/rfc/rfc3550#section-6.2)
/// scales the interval with session size and bandwidth; a WebRTC SFU has exactly two parties per transport and an
/// RTCP budget far above what reports need, so, as libwebrtc does, this uses a fixed interval per media kind
/// (<see cref="DefaultVideoInterval"/> 1 s, <see cref="DefaultAudioInterval"/> 5 s) randomised uniformly over
/// [0.5, 1.5] × interval (§6.3.1) so reports of many streams do not synchronise. Randomness is injected (a seeded
/// <see cref="Random"/> in tests; never a cryptographic RNG). Times are <see cref="Stopwatch"/> ticks.
/// Single-threaded; <see cref="IsDue"/> and <see cref="Reset"/> are allocation-free.
/// </summary>
public sealed class RtcpIntervalTimer
{
    public static readonly TimeSpan DefaultVideoInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultAudioInterval = TimeSpan.FromSeconds(5);

    private readonly Random _random;
    private readonly long _intervalTicks;
    private long _nextDue = long.MinValue;

    public RtcpIntervalTimer(TimeSpan interval, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (interval <= TimeSpan.Zero)
        {
            ThrowHelper.ThrowArgument("The report interval must be positive.", nameof(interval));
        }
        Interval = interval;
        _random = random;
        _intervalTicks = (long)(interval.TotalSeconds * Stopwatch.Frequency);
    }

    public static RtcpIntervalTimer ForKind(MediaKind kind, Random random) =>
        new(kind == MediaKind.Audio ? DefaultAudioInterval : DefaultVideoInterval, random);

    public TimeSpan Interval { get; }

    /// <summary>The Stopwatch timestamp from which <see cref="IsDue"/> is true; <see cref="long.MinValue"/> (due at once) until the first <see cref="Reset"/>.</summary>
    public long NextDue => _nextDue;

    /// <summary>True when a report should be sent; the first report is due at once (the caller then calls <see cref="Reset"/>).</summary>
    public bool IsDue(long now) => now >= _nextDue;

    /// <summary>Schedules the next report a randomised interval after <paramref name="now"/> (call after sending one).</summary>
    public void Reset(long now) => _nextDue = now + (long)(_intervalTicks * (0.5 + _random.NextDouble()));
}
