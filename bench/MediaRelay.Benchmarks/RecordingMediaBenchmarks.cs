using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using MediaRelay.Recording.Media;

namespace MediaRelay.Benchmarks;

/// <summary>
/// Recording finalization, per packet: reorder buffer + VP8 frame assembly (<see cref="Vp8Packet"/>, one call =
/// one 1,000-byte packet, a frame every 5 packets) and Opus via RED (<see cref="OpusRedPacket"/>).
/// Expected allocation 0 B.
/// </summary>
[MemoryDiagnoser]
public class RecordingMediaBenchmarks
{
    private readonly byte[] _vp8 = new byte[12 + 1 + 1000];
    private readonly byte[] _opus = new byte[12 + 5 + 80 + 80];
    private readonly TrackReorderBuffer _vp8Buffer = new();
    private readonly Vp8FrameAssembler _vp8Assembler = new();
    private readonly OpusFrameAssembler _opusAssembler = new(redPayloadType: 63);
    private ushort _vp8Sequence;
    private uint _vp8Timestamp;
    private long _arrival;
    private long _opusSequence;
    private uint _opusTimestamp;

    [GlobalSetup]
    public void Setup()
    {
        _vp8[0] = 0x80;
        _vp8[1] = 96;
        _vp8[13] = 0x30; // VP8 keyframe tag (P bit clear)
        _opus[0] = 0x80;
        _opus[1] = 63;
        BinaryPrimitives.WriteUInt32BigEndian(_opus.AsSpan(12), 0x8000_0000u | (111u << 24) | (960u << 10) | 80u);
        _opus[16] = 111;
    }

    [Benchmark]
    public int Vp8Packet()
    {
        int index = _vp8Sequence % 5;
        _vp8[1] = (byte)(index == 4 ? 0x80 | 96 : 96);
        _vp8[12] = (byte)(index == 0 ? 0x10 : 0x00);
        BinaryPrimitives.WriteUInt16BigEndian(_vp8.AsSpan(2), _vp8Sequence++);
        BinaryPrimitives.WriteUInt32BigEndian(_vp8.AsSpan(4), _vp8Timestamp);
        if (index == 4)
        {
            _vp8Timestamp += 3000;
        }
        _vp8Buffer.Push(_vp8, _arrival += 6_666);
        int bytes = 0;
        while (_vp8Buffer.TryPop(out ReorderedPacket packet))
        {
            _vp8Assembler.Push(packet.Rtp, packet.Sequence, packet.ArrivalMicroseconds);
            while (_vp8Assembler.TryTakeFrame(out EncodedFrame frame))
            {
                bytes += frame.Length;
            }
        }
        return bytes;
    }

    [Benchmark]
    public int OpusRedPacket()
    {
        BinaryPrimitives.WriteUInt32BigEndian(_opus.AsSpan(4), _opusTimestamp += 960);
        MediaRelay.Rtp.RtpPacket.TryParse(_opus, out MediaRelay.Rtp.RtpPacket rtp);
        _opusAssembler.Push(rtp, _opusSequence++, 0);
        int bytes = 0;
        while (_opusAssembler.TryTakeFrame(out EncodedFrame frame))
        {
            bytes += frame.Length;
        }
        return bytes;
    }
}
