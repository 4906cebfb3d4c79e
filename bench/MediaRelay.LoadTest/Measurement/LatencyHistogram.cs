using System.Diagnostics;

namespace MediaRelay.LoadTest.Measurement;

/// <summary>
/// Latency samples in 1 µs buckets up to 50 ms, 100 µs buckets from there to 1 s (one overflow bucket above), and
/// their exact sum. One writer (the receive thread); the controller copies the counts to subtract two snapshots,
/// so a window needs no reset on the hot path.
/// </summary>
internal sealed class LatencyHistogram
{
    /// <summary>Where the 1 µs buckets end and the 100 µs buckets begin (µs).</summary>
    public const int FineLimitMicros = 50_000;
    public const int CoarseWidthMicros = 100;
    public const int LimitMicros = 1_000_000;
    public const int BucketCount = FineLimitMicros + ((LimitMicros - FineLimitMicros) / CoarseWidthMicros);

    private readonly long[] _counts = new long[BucketCount + 1];
    private long _sumTicks;

    /// <summary>One sample of <paramref name="ticks"/> Stopwatch ticks.</summary>
    public void Record(long ticks)
    {
        double microseconds = ticks * 1_000_000.0 / Stopwatch.Frequency;
        int bucket = microseconds <= 0 ? 0
            : microseconds < FineLimitMicros ? (int)microseconds
            : microseconds < LimitMicros ? FineLimitMicros + (int)((microseconds - FineLimitMicros) / CoarseWidthMicros)
            : BucketCount;
        _counts[bucket]++;
        _sumTicks += ticks;
    }

    public LatencySnapshot Snapshot() => new((long[])_counts.Clone(), Volatile.Read(ref _sumTicks));

    /// <summary>The lower edge of bucket <paramref name="i"/> in µs.</summary>
    public static double LowerMicros(int i) =>
        i <= FineLimitMicros ? i : FineLimitMicros + ((double)(i - FineLimitMicros) * CoarseWidthMicros);

    /// <summary>The upper edge of bucket <paramref name="i"/> in µs (+∞ for the overflow bucket).</summary>
    public static double UpperMicros(int i) => i >= BucketCount ? double.PositiveInfinity : LowerMicros(i + 1);

    public static long Total(long[] counts)
    {
        long total = 0;
        foreach (long c in counts)
        {
            total += c;
        }
        return total;
    }

    /// <summary>The middle of the bucket at or below which a fraction <paramref name="quantile"/> of samples lie (µs).</summary>
    public static double Percentile(long[] counts, double quantile)
    {
        long total = Total(counts);
        if (total == 0)
        {
            return double.NaN;
        }
        long rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return i >= BucketCount ? LimitMicros : (LowerMicros(i) + UpperMicros(i)) / 2;
            }
        }
        return LimitMicros;
    }

    /// <summary>
    /// The samples counted into cumulative buckets of other upper bounds (seconds, ascending, the last +∞), as a
    /// Prometheus histogram counts them: a bucket counts under every bound at or above its upper edge.
    /// </summary>
    public static double[] Cumulative(long[] counts, IReadOnlyList<double> upperBoundsSeconds)
    {
        var cumulative = new double[upperBoundsSeconds.Count];
        long seen = 0;
        int i = 0;
        for (int b = 0; b < upperBoundsSeconds.Count; b++)
        {
            double bound = upperBoundsSeconds[b] * 1e6;
            while (i < counts.Length && UpperMicros(i) <= bound)
            {
                seen += counts[i++];
            }
            cumulative[b] = seen;
        }
        return cumulative;
    }
}
