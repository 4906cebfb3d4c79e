using System.Diagnostics;
using MediaRelay.LoadTest.Measurement;

namespace MediaRelay.LoadTest.Tests;

/// <summary>
/// The tool's own latency: samples in 1 µs buckets below 50 ms, 100 µs buckets to 1 s, one overflow bucket, an exact
/// sum; a percentile is the middle of the bucket holding the ⌈q × n⌉-th sample. Expected figures are worked by hand.
/// </summary>
public sealed class LatencyHistogramTests
{
    internal static long Ticks(double micros) => (long)Math.Round(micros * Stopwatch.Frequency / 1_000_000);

    internal static LatencyHistogram Recorded(params double[] micros)
    {
        var histogram = new LatencyHistogram();
        foreach (double m in micros)
        {
            histogram.Record(Ticks(m));
        }
        return histogram;
    }

    [Fact]
    public void Percentiles_are_bucket_middles_and_the_mean_is_exact()
    {
        // 10, 20, …, 100 µs, shuffled. n = 10.
        LatencySnapshot s = Recorded(70, 10, 100, 40, 20, 90, 30, 60, 50, 80).Snapshot();

        Assert.Equal(10, s.Samples);
        // p10: rank ⌈1⌉ = 1 → 10 µs, bucket [10, 11) → 10.5. p50: rank 5 → 50 µs → 50.5.
        // p90: rank 9 → 90.5. p99: rank ⌈9.9⌉ = 10 → 100.5. p99.9: rank ⌈9.99⌉ = 10 → 100.5.
        Assert.Equal(10.5, s.Percentile(0.10));
        Assert.Equal(50.5, s.Percentile(0.50));
        Assert.Equal(90.5, s.Percentile(0.90));
        Assert.Equal(100.5, s.Percentile(0.99));
        Assert.Equal(100.5, s.Percentile(0.999));
        // (10 + 20 + … + 100) / 10 = 550 / 10 = 55 µs, from the sum, not the buckets.
        Assert.Equal(55, s.MeanMicros, 9);
    }

    [Fact]
    public void A_fraction_of_a_microsecond_stays_in_its_bucket()
    {
        // 15.7 µs falls in [15, 16): every percentile of it is 15.5, while the mean keeps the exact 15.7.
        LatencySnapshot s = Recorded(15.7, 15.7).Snapshot();

        Assert.Equal(15.5, s.Percentile(0.5));
        Assert.Equal(15.5, s.Percentile(0.99));
        Assert.Equal(15.7, s.MeanMicros, 9);
    }

    [Fact]
    public void Coarse_and_overflow_buckets()
    {
        // 49 999.5 µs: last fine bucket [49 999, 50 000) → 49 999.5.
        // 60 000 µs: coarse bucket 50 000 + (60 000 − 50 000)/100 = 50 100, [60 000, 60 100) → 60 050.
        // 1.5 s: the overflow bucket, reported as the 1 s limit.
        LatencySnapshot s = Recorded(60_000, 1_500_000, 49_999.5).Snapshot();

        Assert.Equal(49_999.5, s.Percentile(0.33)); // rank ⌈0.99⌉ = 1
        Assert.Equal(60_050, s.Percentile(0.50));   // rank ⌈1.5⌉ = 2
        Assert.Equal(1_000_000, s.Percentile(1.0)); // rank 3
        Assert.Equal(1, s.Counts[49_999]);
        Assert.Equal(1, s.Counts[50_100]);
        Assert.Equal(1, s.Counts[LatencyHistogram.BucketCount]);
        // (60 000 + 1 500 000 + 49 999.5) / 3 = 1 609 999.5 / 3.
        Assert.Equal(1_609_999.5 / 3, s.MeanMicros, 6);
    }

    [Fact]
    public void Bucket_edges()
    {
        Assert.Equal(0, LatencyHistogram.LowerMicros(0));
        Assert.Equal(1, LatencyHistogram.UpperMicros(0));
        Assert.Equal(49_999, LatencyHistogram.LowerMicros(49_999));
        Assert.Equal(50_000, LatencyHistogram.UpperMicros(49_999));
        Assert.Equal(50_000, LatencyHistogram.LowerMicros(50_000));
        Assert.Equal(50_100, LatencyHistogram.UpperMicros(50_000));
        // 50 000 fine buckets + (1 000 000 − 50 000)/100 = 9 500 coarse ones; the last coarse one ends at 1 s.
        Assert.Equal(59_500, LatencyHistogram.BucketCount);
        Assert.Equal(1_000_000, LatencyHistogram.UpperMicros(LatencyHistogram.BucketCount - 1));
        Assert.Equal(double.PositiveInfinity, LatencyHistogram.UpperMicros(LatencyHistogram.BucketCount));
    }

    [Fact]
    public void A_non_positive_sample_counts_in_the_first_bucket()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(0);
        histogram.Record(-5);

        LatencySnapshot s = histogram.Snapshot();
        Assert.Equal(2, s.Counts[0]);
        Assert.Equal(0.5, s.Percentile(0.5));
    }

    [Fact]
    public void An_empty_window_has_no_percentile_and_no_mean()
    {
        LatencySnapshot s = new LatencyHistogram().Snapshot();

        Assert.Equal(0, s.Samples);
        Assert.True(double.IsNaN(s.Percentile(0.5)));
        Assert.True(double.IsNaN(s.MeanMicros));
    }

    [Fact]
    public void Since_keeps_only_the_samples_of_the_window()
    {
        LatencyHistogram histogram = Recorded(1_000, 2_000);
        LatencySnapshot start = histogram.Snapshot();
        foreach (double m in new[] { 10.0, 20, 30 })
        {
            histogram.Record(Ticks(m));
        }

        LatencySnapshot window = histogram.Snapshot().Since(start);

        Assert.Equal(3, window.Samples);
        Assert.Equal(20, window.MeanMicros, 9);      // (10 + 20 + 30) / 3, the 1 ms and 2 ms samples are gone
        Assert.Equal(30.5, window.Percentile(0.99)); // rank ⌈2.97⌉ = 3 → 30 µs
        Assert.Equal(0, window.Counts[1_000]);
    }

    [Fact]
    public void Cumulative_counts_a_tool_bucket_under_every_server_bound_at_or_above_its_upper_edge()
    {
        // Server bounds 75 µs, 100 µs, +Inf. 74.9 µs is in [74, 75): under ≤75. 75.0 µs is in [75, 76), which
        // ends above 75: under ≤100 only. 2 ms: under +Inf only.
        LatencySnapshot s = Recorded(74.9, 75.0, 2_000).Snapshot();

        double[] cumulative = LatencyHistogram.Cumulative(s.Counts, [0.000075, 0.0001, double.PositiveInfinity]);

        Assert.Equal(new[] { 1.0, 2, 3 }, cumulative);
    }

    [Fact]
    public void Cumulative_above_the_fine_range_uses_the_coarse_edges()
    {
        // 60 000.0 µs is in [60 000, 60 100): under ≤0.1 s, not under ≤0.06 s. 49 000 µs: under both.
        LatencySnapshot s = Recorded(49_000, 60_000).Snapshot();

        double[] cumulative = LatencyHistogram.Cumulative(s.Counts, [0.06, 0.1, double.PositiveInfinity]);

        Assert.Equal(new[] { 1.0, 2, 2 }, cumulative);
    }
}
