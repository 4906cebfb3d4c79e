using MediaRelay.LoadTest.Measurement;

namespace MediaRelay.LoadTest.Tests;

/// <summary>
/// The server's histogram as the guard reads it: parsed from the text exposition format, differenced between two
/// scrapes, and interpolated as PromQL's histogram_quantile does (promql/quantile.go: the rank q × count falls into
/// the first bucket whose cumulative count reaches it; linear inside it from the previous bound, 0 below the first;
/// a rank in the +Inf bucket gives the largest finite bound). Every expected figure is worked out in the comments.
/// </summary>
public sealed class PrometheusHistogramTests
{
    private const string Latency = "mediarelay_forward_latency_seconds";

    // Buckets out of order, bounds in both spellings prometheus-net may print (5e-05, 0.0001), and a second histogram
    // whose name starts with the first one's: its lines must stay out of it.
    private const string FirstScrape = """
        # HELP mediarelay_forward_latency_seconds Per forwarded RTP packet.
        # TYPE mediarelay_forward_latency_seconds histogram
        mediarelay_forward_latency_seconds_max_bucket{le="0.0001"} 999
        mediarelay_forward_latency_seconds_sum 0.0031
        mediarelay_forward_latency_seconds_count 40
        mediarelay_forward_latency_seconds_bucket{le="0.0001"} 30
        mediarelay_forward_latency_seconds_bucket{le="+Inf"} 40
        mediarelay_forward_latency_seconds_bucket{le="5e-05"} 10
        mediarelay_forward_latency_seconds_bucket{le="0.0002"} 38
        mediarelay_forward_latency_seconds_max_bucket{le="+Inf"} 1000
        mediarelay_forward_latency_seconds_max_sum 7
        mediarelay_forward_latency_seconds_max_count 1000
        mediarelay_forwarded_packets_total 12345
        """;

    private const string SecondScrape = """
        mediarelay_forward_latency_seconds_bucket{le="5e-05"} 12
        mediarelay_forward_latency_seconds_bucket{le="0.0001"} 40
        mediarelay_forward_latency_seconds_bucket{le="0.0002"} 55
        mediarelay_forward_latency_seconds_bucket{le="+Inf"} 60
        mediarelay_forward_latency_seconds_sum 0.0071
        mediarelay_forward_latency_seconds_count 60
        """;

    private static PrometheusHistogram ReadLatency(string text) =>
        PrometheusHistogram.Read(PrometheusText.Parse(text), Latency) ?? throw new InvalidOperationException("histogram missing");

    [Fact]
    public void Read_takes_the_named_histograms_buckets_sorted_with_its_sum_and_count()
    {
        PrometheusHistogram h = ReadLatency(FirstScrape);

        Assert.Equal([0.00005, 0.0001, 0.0002, double.PositiveInfinity], h.UpperBounds);
        Assert.Equal([10.0, 30, 38, 40], h.CumulativeCounts);
        Assert.Equal(0.0031, h.Sum);
        Assert.Equal(40, h.Count);
    }

    [Fact]
    public void Read_keeps_a_longer_name_sharing_the_prefix_apart()
    {
        PrometheusHistogram? longer = PrometheusHistogram.Read(PrometheusText.Parse(FirstScrape), Latency + "_max");

        Assert.NotNull(longer);
        Assert.Equal([0.0001, double.PositiveInfinity], longer.UpperBounds);
        Assert.Equal([999.0, 1000], longer.CumulativeCounts);
        Assert.Equal(7, longer.Sum);
        Assert.Equal(1000, longer.Count);
    }

    [Fact]
    public void Read_gives_null_without_buckets_sum_or_count()
    {
        Dictionary<string, double> values = PrometheusText.Parse(FirstScrape);
        Assert.Null(PrometheusHistogram.Read(values, "mediarelay_forward_latency")); // a prefix of the name is not the name
        Assert.Null(PrometheusHistogram.Read(values, "mediarelay_forwarded_packets_total"));

        string withoutSum = string.Join('\n', FirstScrape.Split('\n').Where(l => !l.StartsWith(Latency + "_sum", StringComparison.Ordinal)));
        Assert.Null(PrometheusHistogram.Read(PrometheusText.Parse(withoutSum), Latency));
        string withoutCount = string.Join('\n', FirstScrape.Split('\n').Where(l => !l.StartsWith(Latency + "_count", StringComparison.Ordinal)));
        Assert.Null(PrometheusHistogram.Read(PrometheusText.Parse(withoutCount), Latency));
    }

    [Fact]
    public void Mean_is_sum_over_count()
    {
        // 0.0031 s / 40 = 77.5 µs.
        Assert.Equal(77.5, ReadLatency(FirstScrape).Mean * 1e6, 9);
        Assert.True(double.IsNaN(new PrometheusHistogram([0.001, double.PositiveInfinity], [0, 0], 0, 0).Mean));
    }

    [Theory]
    // Buckets (µs): ≤50: 10, ≤100: 30, ≤200: 38, +Inf: 40 (cumulative).
    // q 0.2: rank 8 ≤ 10, first bucket, from 0: 0 + 50 × 8/10 = 40.
    [InlineData(0.2, 40)]
    // q 0.5: rank 20 in (10, 30]: 50 + 50 × (20 − 10)/(30 − 10) = 75.
    [InlineData(0.5, 75)]
    // q 0.9: rank 36 in (30, 38]: 100 + 100 × (36 − 30)/(38 − 30) = 175.
    [InlineData(0.9, 175)]
    // q 0.95: rank 38 reaches the ≤200 bucket's count exactly: 100 + 100 × 8/8 = 200.
    [InlineData(0.95, 200)]
    // q 0.99: rank 39.6 > 38: in the +Inf bucket, so the largest finite bound, 200.
    [InlineData(0.99, 200)]
    public void Quantile_interpolates_inside_the_bucket_holding_the_rank(double q, double expectedMicros)
    {
        Assert.Equal(expectedMicros, ReadLatency(FirstScrape).Quantile(q) * 1e6, 9);
    }

    [Fact]
    public void Since_is_what_was_observed_between_two_scrapes()
    {
        PrometheusHistogram window = ReadLatency(SecondScrape).Since(ReadLatency(FirstScrape));

        // Buckets 12−10, 40−30, 55−38, 60−40; sum 0.0071 − 0.0031; count 60 − 40.
        Assert.Equal([0.00005, 0.0001, 0.0002, double.PositiveInfinity], window.UpperBounds);
        Assert.Equal([2.0, 10, 17, 20], window.CumulativeCounts);
        Assert.Equal(0.004, window.Sum, 12);
        Assert.Equal(20, window.Count);
        // Mean 0.004 / 20 = 200 µs. p50: rank 10 reaches the ≤100 bucket exactly: 50 + 50 × (10 − 2)/(10 − 2) = 100.
        // p80: rank 16 in (10, 17]: 100 + 100 × 6/7. p99: rank 19.8 > 17: the +Inf bucket, 200.
        Assert.Equal(200, window.Mean * 1e6, 9);
        Assert.Equal(100, window.Quantile(0.5) * 1e6, 9);
        Assert.Equal(100 + (600.0 / 7), window.Quantile(0.8) * 1e6, 9);
        Assert.Equal(200, window.Quantile(0.99) * 1e6, 9);
    }

    [Fact]
    public void Since_refuses_scrapes_with_different_buckets()
    {
        var earlier = new PrometheusHistogram([0.0001, double.PositiveInfinity], [1, 2], 0.0001, 2);
        var later = new PrometheusHistogram([0.0002, double.PositiveInfinity], [3, 4], 0.0003, 4);

        Assert.Throws<InvalidOperationException>(() => later.Since(earlier));
    }

    [Fact]
    public void Quantile_of_an_empty_window_is_NaN()
    {
        PrometheusHistogram first = ReadLatency(FirstScrape);
        PrometheusHistogram nothing = first.Since(first);

        Assert.Equal([0.0, 0, 0, 0], nothing.CumulativeCounts);
        Assert.True(double.IsNaN(nothing.Quantile(0.5)));
        Assert.True(double.IsNaN(nothing.Quantile(0.99)));
    }

    [Fact]
    public void Quantile_without_a_plus_Inf_bucket_or_with_a_single_bucket_is_NaN()
    {
        Assert.True(double.IsNaN(PrometheusHistogram.Quantile([1, 2], [5, 10], 0.5)));
        Assert.True(double.IsNaN(PrometheusHistogram.Quantile([double.PositiveInfinity], [10], 0.5)));
    }

    [Fact]
    public void Quantile_skips_a_bucket_that_holds_no_observation()
    {
        // Bounds 1, 2, 4, +Inf with cumulative 2, 2, 4, 4: nothing fell in (1, 2].
        double[] bounds = [1, 2, 4, double.PositiveInfinity];
        double[] cumulative = [2, 2, 4, 4];

        // q 0.5: rank 2 is reached by the first bucket already: 0 + 1 × 2/2 = 1 (not 2, the empty bucket's bound).
        Assert.Equal(1, PrometheusHistogram.Quantile(bounds, cumulative, 0.5), 12);
        // q 0.75: rank 3 passes the empty bucket and lands in (2, 4]: 2 + 2 × (3 − 2)/(4 − 2) = 3.
        Assert.Equal(3, PrometheusHistogram.Quantile(bounds, cumulative, 0.75), 12);
        // q 0.25: rank 1 in the first bucket, from 0: 0 + 1 × 1/2 = 0.5.
        Assert.Equal(0.5, PrometheusHistogram.Quantile(bounds, cumulative, 0.25), 12);
    }
}
