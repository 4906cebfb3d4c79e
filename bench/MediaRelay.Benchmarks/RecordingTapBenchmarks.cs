using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using MediaRelay.Core;
using MediaRelay.Recording.Capture;
using MediaRelay.Rtp;

namespace MediaRelay.Benchmarks;

/// <summary>
/// The recorder's tap on the packet path: retain + enqueue one 1200-byte RTP packet, and the writer thread's dequeue +
/// release (expected 0 B: the tap must never allocate or block the media loop).
/// </summary>
[MemoryDiagnoser]
public class RecordingTapBenchmarks
{
    private readonly PacketPool _pool = new(64, preallocate: 64);
    private readonly TapQueue _queue = new(1024);
    private ProducerTap _tap = null!;
    private PooledPacket _packet = null!;
    private long _now;

    [GlobalSetup]
    public void Setup()
    {
        _tap = new ProducerTap(_queue, track: 0, layer: 0);
        _packet = _pool.Rent();
        _packet.Buffer[0] = 0x80;
        _packet.Buffer[1] = 96;
        BinaryPrimitives.WriteUInt32BigEndian(_packet.Buffer.AsSpan(8), 0x01020304);
        _packet.Length = 1200;
    }

    [Benchmark]
    public bool TapAndDrain()
    {
        RtpPacket.TryParse(_packet.Buffer.AsSpan(0, _packet.Length), out RtpPacket rtp);
        _tap.OnRtp(_packet, rtp, 0, ++_now);
        bool dequeued = _queue.TryDequeue(out TapItem item);
        item.Packet?.Release();
        return dequeued;
    }
}
