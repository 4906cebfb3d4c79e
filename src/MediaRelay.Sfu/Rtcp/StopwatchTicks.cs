using System.Diagnostics;

namespace MediaRelay.Sfu.Rtcp;

/// <summary>Converts <see cref="Stopwatch"/> tick spans to clock units (RTP clock, 1/65536 s) without overflow.</summary>
public static class StopwatchTicks
{
    /// <summary>
    /// <paramref name="ticks"/> × <paramref name="unitsPerSecond"/> / <see cref="Stopwatch.Frequency"/>, truncated toward
    /// zero. Whole seconds and the remainder are scaled apart so that neither product can overflow.
    /// </summary>
    public static long ToUnits(long ticks, long unitsPerSecond)
    {
        long frequency = Stopwatch.Frequency;
        long seconds = ticks / frequency;
        long remainder = ticks % frequency;
        return (seconds * unitsPerSecond) + (remainder * unitsPerSecond / frequency);
    }

    /// <summary>Microseconds, the time base of transport-wide feedback and the bandwidth estimator.</summary>
    public static long ToMicroseconds(long ticks) => ToUnits(ticks, 1_000_000);
}
