using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using MediaRelay.Core;
using MediaRelay.Sfu.Nack;

namespace MediaRelay.Benchmarks;

/// <summary>Per-packet NACK building blocks: cache store/lookup, loss tracking, resend decision (expected 0 B).</summary>
[MemoryDiagnoser]
public class NackBenchmarks
{
    private static readonly TimeSpan Rtt = TimeSpan.FromMilliseconds(200);
    private readonly PacketPool _pool = new(4096, preallocate: 2048);
    private readonly RetransmissionCache _cache = new(TimeSpan.FromSeconds(1));
    private readonly NackGenerator _generator = new();
    private readonly NackResponder _responder = new(maxPerSecond: 1_000_000);
    private readonly ushort[] _due = new ushort[64];
    private readonly long _tick = Stopwatch.Frequency / 1000;
    private long _now = 1_000 * Stopwatch.Frequency;
    private ushort _sequence;

    [GlobalCleanup]
    public void Cleanup() => _cache.Clear();

    /// <summary>Ingress: keep the packet for retransmission, then answer one lookup 100 packets back.</summary>
    [Benchmark]
    public bool CacheStoreAndTryGet()
    {
        _now += _tick;
        ushort seq = _sequence++;
        PooledPacket packet = _pool.Rent();
        packet.Length = 1200;
        _cache.Store(packet, seq, _now);
        packet.Release();
        return _cache.TryGet((ushort)(seq - 100), _now, out _);
    }

    /// <summary>Ingress loss tracking with one loss in 50, plus the periodic due scan.</summary>
    [Benchmark]
    public int GeneratorOnPacketAndCollect()
    {
        _now += _tick;
        ushort seq = _sequence++;
        if (seq % 50 != 7)
        {
            _generator.OnPacket(seq, _now);
        }
        return _generator.CollectDue(_now, Rtt, _due);
    }

    [Benchmark]
    public bool ResponderShouldResend()
    {
        _now += _tick;
        return _responder.ShouldResend(_sequence++, _now);
    }
}
