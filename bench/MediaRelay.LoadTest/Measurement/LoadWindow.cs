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
    private long[] _latency = [];
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
        window._counters = await target.ReadCountersAsync(cancel);
        foreach (LoadPeer peer in generator.Peers)
        {
            foreach (StreamStats s in peer.Streams.Values.ToArray())
            {
                window._streams.Add((s, s.Expected, s.Received));
            }
        }
        window._latency = generator.Totals.Latency.Snapshot();
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
        long[] latency = LatencyHistogram.Difference(_generator.Totals.Latency.Snapshot(), _latency);
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
        double loss = expected > 0 ? Math.Max(0, expected - received) / (double)expected : 1;
        int publishers = 0, subscribers = 0;
        foreach (LoadPeer peer in _generator.Peers)
        {
            _ = peer.Kind == PeerKind.Publisher ? publishers++ : subscribers++;
        }
        double forwardedPps = (forwarded - _forwarded) / seconds;
        double gen0 = double.NaN, allocatedPerPacket = double.NaN;
        if (_counters is not null && counters is not null)
        {
            gen0 = counters.Gen0Collections - _counters.Gen0Collections;
            double packets = counters.ForwardedPackets - _counters.ForwardedPackets;
            allocatedPerPacket = packets > 0 ? (counters.AllocatedBytes - _counters.AllocatedBytes) / packets : double.NaN;
        }
        return new StepResult(_target.Name, rooms, publishers, subscribers, seconds, (sent - _sent) / seconds, forwardedPps, loss,
            LatencyHistogram.Percentile(latency, 0.50), LatencyHistogram.Percentile(latency, 0.99),
            LatencyHistogram.Percentile(latency, 0.999), LatencyHistogram.Total(latency),
            jitterStreams > 0 ? jitterSum / jitterStreams * 1_000_000.0 / Stopwatch.Frequency : double.NaN,
            serverCpu / seconds, generatorCpu / seconds, gen0, allocatedPerPacket, late, collections,
            counters is null ? double.NaN : counters.MaxLoopStallSeconds * 1e6);
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
