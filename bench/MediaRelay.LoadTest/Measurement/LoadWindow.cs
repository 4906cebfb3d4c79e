using System.Diagnostics;
using MediaRelay.LoadTest.Peers;
using MediaRelay.LoadTest.Targets;

namespace MediaRelay.LoadTest.Measurement;

/// <summary>
/// Measures one window: snapshots of every subscriber stream (RFC 3550 §6.4.1 loss from extended sequence numbers),
/// the latency histogram, publisher send counters, server and generator CPU time (/proc), and the server's own
/// counters where it has them, taken at the start and the end.
/// </summary>
internal sealed class LoadWindow
{
    private readonly LoadGenerator _generator;
    private readonly ILoadTarget _target;
    private readonly List<(StreamStats Stream, long Expected, long Received)> _streams = [];
    private LatencySnapshot? _latency;
    private long _kernelTimed;
    private long _userTimed;
    private long _receiveDelay;
    private long _sent;
    private long _forwarded;
    private double _serverCpu;
    private double _generatorCpu;
    private long _started;
    private long _late;
    private int _collections;
    private ServerCounters? _counters;

    private LoadWindow(LoadGenerator generator, ILoadTarget target)
    {
        _generator = generator;
        _target = target;
    }

    public static async Task<LoadWindow> BeginAsync(LoadGenerator generator, ILoadTarget target, CancellationToken cancel)
    {
        var window = new LoadWindow(generator, target);
        // The tool's latency is snapshotted right before each scrape, at the start and at the end alike, so both
        // windows shift by the same scrape time: the scrape runs on the server's core and delays the packets
        // behind it, and a window that counts those on one side only would not compare.
        window._latency = generator.Totals.Latency.Snapshot();
        ReceiveTotals totals = generator.Totals;
        (window._kernelTimed, window._userTimed, window._receiveDelay) = (totals.KernelTimedSamples, totals.UserTimedSamples, totals.ReceiveDelayTicks);
        window._counters = await target.ReadCountersAsync(cancel);
        foreach (LoadPeer peer in generator.Peers)
        {
            foreach (StreamStats s in peer.Streams.Values.ToArray())
            {
                window._streams.Add((s, s.Expected, s.Received));
            }
        }
        (window._sent, window._forwarded) = Count(generator);
        window._serverCpu = ProcessCpu.Seconds(target.ProcessId);
        window._generatorCpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        window._late = Interlocked.Read(ref generator.LateSends);
        window._collections = GC.CollectionCount(0);
        window._started = Stopwatch.GetTimestamp();
        return window;
    }

    public async Task<StepResult> EndAsync(int rooms, CancellationToken cancel)
    {
        double seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        int collections = GC.CollectionCount(0) - _collections;
        double serverCpu = ProcessCpu.Seconds(_target.ProcessId) - _serverCpu;
        double generatorCpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - _generatorCpu;
        LatencySnapshot latency = _generator.Totals.Latency.Snapshot().Since(_latency!);
        ReceiveTotals totals = _generator.Totals;
        long kernelTimed = totals.KernelTimedSamples - _kernelTimed;
        long userTimed = totals.UserTimedSamples - _userTimed;
        long receiveDelay = totals.ReceiveDelayTicks - _receiveDelay;
        (long sent, long forwarded) = Count(_generator);
        long late = Interlocked.Read(ref _generator.LateSends) - _late;
        ServerCounters? counters = await _target.ReadCountersAsync(cancel);

        long expected = 0, received = 0;
        double jitterSum = 0;
        int jitterStreams = 0;
        foreach (var (stream, e0, r0) in _streams)
        {
            expected += stream.Expected - e0;
            received += stream.Received - r0;
            if (stream.JitterTicks > 0)
            {
                jitterSum += stream.JitterTicks;
                jitterStreams++;
            }
        }
        double loss = LossRatio(expected, received);
        int publishers = 0, subscribers = 0;
        foreach (LoadPeer peer in _generator.Peers)
        {
            _ = peer.Kind == PeerKind.Publisher ? publishers++ : subscribers++;
        }
        double forwardedPps = (forwarded - _forwarded) / seconds;
        (double gen0, double allocatedPerPacket) = ServerCost(_counters, counters);
        // The server's forward latency over the same window, and the tool's samples in the server's buckets.
        PrometheusHistogram? server = ServerLatency(_counters, counters);
        (double toolP50InBuckets, double toolP99InBuckets) = server is null ? (double.NaN, double.NaN) : InServerBuckets(latency, server);
        return new StepResult(_target.Name, rooms, publishers, subscribers, seconds, (sent - _sent) / seconds, forwardedPps, loss,
            latency.Percentile(0.50), latency.Percentile(0.99), latency.Percentile(0.999), latency.Samples,
            jitterStreams > 0 ? jitterSum / jitterStreams * 1_000_000.0 / Stopwatch.Frequency : double.NaN,
            serverCpu / seconds, generatorCpu / seconds, gen0, allocatedPerPacket, late, collections,
            counters is null ? double.NaN : counters.MaxLoopStallSeconds * 1e6)
        {
            LatencyMeanMicros = latency.MeanMicros,
            ReceiveDelayMicros = kernelTimed > 0 ? receiveDelay * 1_000_000.0 / Stopwatch.Frequency / kernelTimed : double.NaN,
            KernelTimedShare = kernelTimed + userTimed > 0 ? kernelTimed / (double)(kernelTimed + userTimed) : double.NaN,
            ServerLatencyMeanMicros = server is null ? double.NaN : server.Mean * 1e6,
            ServerLatencyP50Micros = server is null ? double.NaN : server.Quantile(0.50) * 1e6,
            ServerLatencyP99Micros = server is null ? double.NaN : server.Quantile(0.99) * 1e6,
            ServerLatencyCount = server is null ? double.NaN : server.Count,
            LatencyP50InServerBucketsMicros = toolP50InBuckets,
            LatencyP99InServerBucketsMicros = toolP99InBuckets,
        };
    }

    /// <summary>Packets lost / packets expected (RFC 3550 §6.4.1; duplicates never make it negative); 1 when none was expected.</summary>
    internal static double LossRatio(long expected, long received) =>
        expected > 0 ? Math.Max(0, expected - received) / (double)expected : 1;

    /// <summary>
    /// The server's gen0 collections and bytes allocated per forwarded packet between two scrapes; NaN where either
    /// scrape is missing or no packet was forwarded.
    /// </summary>
    internal static (double Gen0, double AllocatedPerPacket) ServerCost(ServerCounters? start, ServerCounters? end)
    {
        if (start is null || end is null)
        {
            return (double.NaN, double.NaN);
        }
        double packets = end.ForwardedPackets - start.ForwardedPackets;
        return (end.Gen0Collections - start.Gen0Collections,
            packets > 0 ? (end.AllocatedBytes - start.AllocatedBytes) / packets : double.NaN);
    }

    /// <summary>The server's forward-latency histogram between two scrapes; null when either lacks it or its buckets changed.</summary>
    internal static PrometheusHistogram? ServerLatency(ServerCounters? start, ServerCounters? end) =>
        end?.ForwardLatency is { } last && start?.ForwardLatency is { } first
            && last.UpperBounds.AsSpan().SequenceEqual(first.UpperBounds) ? last.Since(first) : null;

    /// <summary>The tool's p50 and p99 (µs) with its samples counted into the server's buckets and interpolated alike.</summary>
    internal static (double P50Micros, double P99Micros) InServerBuckets(LatencySnapshot latency, PrometheusHistogram server)
    {
        double[] cumulative = LatencyHistogram.Cumulative(latency.Counts, server.UpperBounds);
        return (PrometheusHistogram.Quantile(server.UpperBounds, cumulative, 0.50) * 1e6,
            PrometheusHistogram.Quantile(server.UpperBounds, cumulative, 0.99) * 1e6);
    }

    private static (long Sent, long Forwarded) Count(LoadGenerator generator)
    {
        long sent = 0, forwarded = 0;
        foreach (LoadPeer peer in generator.Peers)
        {
            sent += Interlocked.Read(ref peer.AudioPacketsSent) + Interlocked.Read(ref peer.VideoPacketsSent);
            forwarded += Interlocked.Read(ref peer.RtpPackets);
        }
        return (sent, forwarded);
    }
}
