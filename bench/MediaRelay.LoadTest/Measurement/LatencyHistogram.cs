namespace MediaRelay.LoadTest.Measurement;

/// <summary>
/// Latency samples in 1 µs buckets up to 50 ms (one overflow bucket above). One writer (the receive thread); the
/// controller copies the counts to subtract two snapshots, so a window needs no reset on the hot path.
/// </summary>
internal sealed class LatencyHistogram
{
    public const int BucketCount = 50_000;

    private readonly long[] _counts = new long[BucketCount + 1];

    public void Record(double microseconds)
    {
        int bucket = microseconds <= 0 ? 0 : microseconds >= BucketCount ? BucketCount : (int)microseconds;
        _counts[bucket]++;
    }

    public long[] Snapshot() => (long[])_counts.Clone();

    /// <summary>Counts recorded between two snapshots.</summary>
    public static long[] Difference(long[] later, long[] earlier)
    {
        var result = new long[later.Length];
        for (int i = 0; i < later.Length; i++)
        {
            result[i] = later[i] - earlier[i];
        }
        return result;
    }

    public static long Total(long[] counts)
    {
        long total = 0;
        foreach (long c in counts)
        {
            total += c;
        }
        return total;
    }

    /// <summary>The smallest bucket value (µs) at or below which a fraction <paramref name="quantile"/> of samples lie.</summary>
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
                return i + 0.5; // bucket i holds [i, i+1) µs
            }
        }
        return counts.Length;
    }
}
