using MediaRelay.LoadTest.Measurement;
using MediaRelay.LoadTest.Targets;

namespace MediaRelay.LoadTest.Tests;

/// <summary>
/// The figures of one measured window that the guard judges or prints beside its verdict: loss, the server's
/// allocation and collections, the server's forward latency over the window against the tool's (mean ratio judged
/// within 20 %; p50/p99 with the tool's samples counted into the server's buckets), packets per core-second, and the
/// CPU seconds those come from. Expected figures are worked by hand.
/// </summary>
public sealed class LoadWindowTests
{
    // The server's buckets as in MediaRelay.Server (ForwardLatency), from 10 µs to 100 µs.
    private static readonly double[] ServerBounds = [0.00001, 0.00002, 0.00003, 0.00005, 0.000075, 0.0001, double.PositiveInfinity];

    [Theory]
    [InlineData(1000, 990, 0.01)] // 10 lost of 1000
    [InlineData(1000, 1000, 0.0)]
    [InlineData(1000, 1003, 0.0)] // duplicates: received > expected is no negative loss
    [InlineData(0, 0, 1.0)]       // nothing expected: no stream flowed, counted as all lost
    public void Loss_ratio(long expected, long received, double loss)
    {
        Assert.Equal(loss, LoadWindow.LossRatio(expected, received), 12);
    }

    [Fact]
    public void Server_cost_is_the_difference_of_two_scrapes()
    {
        var start = new ServerCounters(ForwardedPackets: 1_000, Gen0Collections: 3, Gen1Collections: 1, Gen2Collections: 0,
            AllocatedBytes: 5_000, MaxLoopStallSeconds: 0);
        var end = new ServerCounters(ForwardedPackets: 21_000, Gen0Collections: 4, Gen1Collections: 1, Gen2Collections: 0,
            AllocatedBytes: 9_000, MaxLoopStallSeconds: 0);

        (double gen0, double perPacket) = LoadWindow.ServerCost(start, end);

        Assert.Equal(1, gen0);               // 4 − 3
        Assert.Equal(0.2, perPacket, 12);    // (9 000 − 5 000) B / (21 000 − 1 000) packets
    }

    [Fact]
    public void Server_cost_is_NaN_without_a_scrape_or_without_a_forwarded_packet()
    {
        var counters = new ServerCounters(1_000, 3, 1, 0, 5_000, 0);

        Assert.True(double.IsNaN(LoadWindow.ServerCost(null, counters).Gen0));
        Assert.True(double.IsNaN(LoadWindow.ServerCost(counters, null).AllocatedPerPacket));
        (double gen0, double perPacket) = LoadWindow.ServerCost(counters, counters with { AllocatedBytes = 6_000 });
        Assert.Equal(0, gen0);
        Assert.True(double.IsNaN(perPacket));
    }

    [Fact]
    public void Server_latency_is_the_window_between_two_scrapes()
    {
        var first = new PrometheusHistogram(ServerBounds, [0, 1, 2, 2, 2, 2, 2], 0.00003, 2);
        var last = new PrometheusHistogram(ServerBounds, [0, 5, 6, 10, 10, 12, 12], 0.00043, 12);

        PrometheusHistogram? window = LoadWindow.ServerLatency(Counters(first), Counters(last));

        Assert.NotNull(window);
        Assert.Equal(new[] { 0.0, 4, 4, 8, 8, 10, 10 }, window.CumulativeCounts);
        Assert.Equal(40, window.Mean * 1e6, 9); // (0.00043 − 0.00003) s / (12 − 2) = 40 µs
    }

    [Fact]
    public void Server_latency_is_absent_when_a_scrape_lacks_it_or_the_buckets_changed()
    {
        var first = new PrometheusHistogram(ServerBounds, [0, 1, 2, 2, 2, 2, 2], 0.00003, 2);
        var rebucketed = new PrometheusHistogram([0.001, double.PositiveInfinity], [5, 5], 0.001, 5);

        Assert.Null(LoadWindow.ServerLatency(null, Counters(first)));
        Assert.Null(LoadWindow.ServerLatency(Counters(first), Counters(null)));
        Assert.Null(LoadWindow.ServerLatency(Counters(first), Counters(rebucketed))); // no throw: the window just has no figure
    }

    [Fact]
    public void The_tools_samples_in_the_servers_buckets()
    {
        // 4 × 15.7 µs ([15, 16) → ≤20 µs), 4 × 42 µs (→ ≤50 µs), 2 × 80 µs (→ ≤100 µs).
        // Cumulative under 10, 20, 30, 50, 75, 100 µs, +Inf: 0, 4, 4, 8, 8, 10, 10.
        LatencySnapshot tool = LatencyHistogramTests.Recorded(15.7, 42, 80, 15.7, 42, 15.7, 80, 42, 15.7, 42).Snapshot();
        var server = new PrometheusHistogram(ServerBounds, [0, 0, 0, 0, 0, 0, 0], 0, 0);

        Assert.Equal(new[] { 0.0, 4, 4, 8, 8, 10, 10 }, LatencyHistogram.Cumulative(tool.Counts, ServerBounds));
        (double p50, double p99) = LoadWindow.InServerBuckets(tool, server);

        // p50: rank 5 in (4, 8] of (30, 50] µs: 30 + 20 × (5 − 4)/4 = 35.
        // p99: rank 9.9 in (8, 10] of (75, 100] µs: 75 + 25 × (9.9 − 8)/2 = 98.75.
        Assert.Equal(35, p50, 9);
        Assert.Equal(98.75, p99, 9);
        // The same samples by the tool's own 1 µs buckets: p50 rank 5 → 42 µs → 42.5; p99 rank 10 → 80 µs → 80.5;
        // mean (4 × 15.7 + 4 × 42 + 2 × 80) / 10 = 390.8 / 10 = 39.08.
        Assert.Equal(42.5, tool.Percentile(0.50));
        Assert.Equal(80.5, tool.Percentile(0.99));
        Assert.Equal(39.08, tool.MeanMicros, 9);
    }

    [Fact]
    public void Step_ratios()
    {
        StepResult step = Step(forwardedPps: 20_000, serverCores: 0.5) with
        {
            LatencyMeanMicros = 100,
            ServerLatencyMeanMicros = 110,
            LatencyP50Micros = 80,
            ServerLatencyP50Micros = 60,
            LatencyP99Micros = 400,
            ServerLatencyP99Micros = 500,
        };

        Assert.Equal(1.1, step.ServerMeanRatio, 12);        // 110 / 100
        Assert.Equal(0.75, step.ServerP50Ratio, 12);        // 60 / 80
        Assert.Equal(1.25, step.ServerP99Ratio, 12);        // 500 / 400
        Assert.Equal(40_000, step.PacketsPerCoreSecond, 9); // 20 000 / 0.5
        Assert.True(double.IsNaN((step with { ServerCpuCores = 0 }).PacketsPerCoreSecond));
        // No server histogram: the ratio is NaN, and the guard's |ratio − 1| ≤ 0.2 cannot hold.
        Assert.True(double.IsNaN((step with { ServerLatencyMeanMicros = double.NaN }).ServerMeanRatio));
    }

    [Fact]
    public void Within_limits_checks_loss_and_p99()
    {
        StepResult step = Step(forwardedPps: 1_000, serverCores: 1) with { LossRatio = 0.01, LatencyP99Micros = 2_000 };

        Assert.True(step.WithinLimits(maxLoss: 0.01, maxP99Micros: 2_000));
        Assert.False(step.WithinLimits(maxLoss: 0.009, maxP99Micros: 2_000));
        Assert.False(step.WithinLimits(maxLoss: 0.01, maxP99Micros: 1_999));
    }

    [Fact]
    public void Cpu_seconds_are_utime_plus_stime_after_the_command_name()
    {
        // The command name holds a space and a ')'. After the last ')': S(3) ppid(4) pgrp(5) session(6) tty(7)
        // tpgid(8) flags(9) minflt(10) cminflt(11) majflt(12) cmajflt(13) utime(14)=250 stime(15)=50 cutime(16)=7
        // cstime(17)=9 …; (250 + 50) ticks / 100 per second = 3 s, the children's 7 + 9 not counted.
        const string stat = "4242 (load gen) x) S 1 4242 4242 0 -1 4194560 1200 0 3 0 250 50 7 9 20 0 12 0 123456 1000000 500\n";

        Assert.Equal(3.0, ProcessCpu.FromStat(stat), 12);
    }

    [Fact]
    public void Cpu_seconds_of_a_process_that_is_gone_are_NaN_and_of_this_one_a_reading()
    {
        Assert.True(double.IsNaN(ProcessCpu.Seconds(int.MaxValue))); // above any pid_max
        double own = ProcessCpu.Seconds(Environment.ProcessId);
        Assert.True(double.IsFinite(own) && own >= 0, $"own CPU seconds {own}");
    }

    private static ServerCounters Counters(PrometheusHistogram? latency) => new(0, 0, 0, 0, 0, 0, latency);

    private static StepResult Step(double forwardedPps, double serverCores) =>
        new("mediarelay", Rooms: 1, Publishers: 2, Subscribers: 14, WindowSeconds: 6, SentPacketsPerSecond: 100,
            ForwardedPacketsPerSecond: forwardedPps, LossRatio: 0, LatencyP50Micros: 50, LatencyP99Micros: 100,
            LatencyP999Micros: 200, LatencySamples: 10, JitterMicros: 5, ServerCpuCores: serverCores, GeneratorCpuCores: 0.3,
            Gen0Collections: 0, AllocatedBytesPerForwardedPacket: 0, LateSends: 0, GeneratorCollections: 0);
}
