using System.Diagnostics;

namespace MediaRelay.LoadTest.Measurement;

/// <summary>A copy of a <see cref="LatencyHistogram"/>: per-µs counts and the exact sum of the samples.</summary>
internal sealed record LatencySnapshot(long[] Counts, long SumTicks)
{
    /// <summary>What was recorded between <paramref name="earlier"/> and this snapshot.</summary>
    public LatencySnapshot Since(LatencySnapshot earlier)
    {
        var counts = new long[Counts.Length];
        for (int i = 0; i < counts.Length; i++)
        {
            counts[i] = Counts[i] - (i < earlier.Counts.Length ? earlier.Counts[i] : 0);
        }
        return new LatencySnapshot(counts, SumTicks - earlier.SumTicks);
    }

    public long Samples => LatencyHistogram.Total(Counts);

    /// <summary>The exact mean in µs (from the sum, not the buckets).</summary>
    public double MeanMicros
    {
        get
        {
            long samples = Samples;
            return samples > 0 ? SumTicks * 1_000_000.0 / Stopwatch.Frequency / samples : double.NaN;
        }
    }

    public double Percentile(double quantile) => LatencyHistogram.Percentile(Counts, quantile);
}
