using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using MediaRelay.Core;
using MediaRelay.Sfu.Pacing;

namespace MediaRelay.Benchmarks;

/// <summary>
/// Per-packet cost of the subscriber pacer (expected 0 B): one 1200-byte packet copied into the queue and drained by
/// the next tick, and one sent at once from the caller's buffer while the budget allows.
/// </summary>
[MemoryDiagnoser]
public class PacerBenchmarks
{
    private const int Length = 1200;
    private static readonly long OneMillisecond = Stopwatch.Frequency / 1000;

    private readonly byte[] _buffer = GC.AllocateArray<byte>(PacketPool.DefaultBufferSize, pinned: true);
    private readonly PacketPool _pool = new(1024, preallocate: 64);
    private PacedSender _queued = null!;
    private PacedSender _immediate = null!;
    private long _now;

    [GlobalSetup]
    public void Setup()
    {
        _buffer.AsSpan(0, Length).Fill(0x5a);
        _now = 1_000 * Stopwatch.Frequency;
        // 9.6 Mbps: exactly one 1200-byte packet of budget per millisecond.
        _queued = new PacedSender(new NoOpTransport(), _pool);
        _queued.SetRate(9_600_000);
        _immediate = new PacedSender(new NoOpTransport(), _pool);
        _immediate.SetRate(10_000_000_000);
        Prime();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _queued.Clear();
        _immediate.Clear();
    }

    /// <summary>Send behind a standing queued packet (pooled copy), then a tick 1 ms later drains one packet.</summary>
    [Benchmark]
    public int SendThroughQueueAndDrain()
    {
        _queued.Send(_buffer, Length, PacketPriority.Video, _now);
        _now += OneMillisecond;
        _queued.OnTick(_now);
        if (_queued.QueuedPackets == 0)
        {
            Prime();
        }
        return _queued.QueuedPackets;
    }

    /// <summary>Nothing queued and budget available: straight to the transport from the caller's buffer.</summary>
    [Benchmark]
    public bool SendImmediate()
    {
        _now += OneMillisecond;
        return _immediate.Send(_buffer, Length, PacketPriority.Video, _now);
    }

    /// <summary>Spends the budget and leaves one packet queued, so that the next send takes the queue path.</summary>
    private void Prime()
    {
        for (int i = 0; i < 3; i++)
        {
            _queued.Send(_buffer, Length, PacketPriority.Video, _now);
        }
    }

    private sealed class NoOpTransport : IPacedTransport
    {
        public bool Transmit(byte[] buffer, int length, PacketPriority priority, long now) => true;
    }
}
