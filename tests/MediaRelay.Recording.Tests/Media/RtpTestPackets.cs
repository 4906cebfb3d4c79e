using System.Buffers.Binary;
using MediaRelay.Recording.Media;
using MediaRelay.Rtp;

namespace MediaRelay.Recording.Tests.Media;

/// <summary>Builds synthetic RTP packets and runs them through assemblers.</summary>
internal static class RtpTestPackets
{
    /// <summary>A real VP8 keyframe start (libvpx, 176x144): frame tag, start code 9D 01 2A, size.</summary>
    public static readonly byte[] Vp8KeyframeStart =
        [0x30, 0x46, 0x00, 0x9D, 0x01, 0x2A, 0xB0, 0x00, 0x90, 0x00, 0x00, 0x07, 0x08, 0x85, 0x85, 0x88, 0x99, 0x84, 0x88, 0x02];

    /// <summary>SPS from x264, High profile 1920x1080 (cropped from 1088, has an emulation prevention byte).</summary>
    public static readonly byte[] Sps1080 = Convert.FromHexString("67640028acd940780227e5c044000003000400000300083c60c658");

    public static readonly byte[] Pps1080 = Convert.FromHexString("68ebe3cb22c0");

    /// <summary>SPS from x264, Constrained Baseline 320x240.</summary>
    public static readonly byte[] Sps240 = Convert.FromHexString("6742c00bd90141fb011000000300100000030020f142a480");

    public static readonly byte[] Pps240 = Convert.FromHexString("68cb83cb20");

    public static byte[] Packet(ushort sequence, uint timestamp, bool marker, byte payloadType, ReadOnlySpan<byte> payload, uint ssrc = 0x1234)
    {
        var packet = new byte[12 + payload.Length];
        packet[0] = 0x80;
        packet[1] = (byte)((marker ? 0x80 : 0) | payloadType);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        payload.CopyTo(packet.AsSpan(12));
        return packet;
    }

    /// <summary>Deterministic filler bytes.</summary>
    public static byte[] Filler(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A VP8 frame split into <paramref name="packets"/> RTP packets (RFC 7741 §4.2 minimal descriptor).</summary>
    public static List<byte[]> Vp8Frame(ushort firstSequence, uint timestamp, byte[] frame, int packets)
    {
        var result = new List<byte[]>();
        int chunk = (frame.Length + packets - 1) / packets;
        for (int i = 0; i < packets; i++)
        {
            int start = i * chunk;
            int length = Math.Min(chunk, frame.Length - start);
            var payload = new byte[1 + length];
            payload[0] = (byte)(i == 0 ? 0x10 : 0x00);
            frame.AsSpan(start, length).CopyTo(payload.AsSpan(1));
            result.Add(Packet((ushort)(firstSequence + i), timestamp, i == packets - 1, 96, payload));
        }
        return result;
    }

    public static byte[] Vp8Keyframe(int length, int seed)
    {
        byte[] frame = Filler(length, seed);
        Vp8KeyframeStart.CopyTo(frame, 0);
        return frame;
    }

    public static byte[] Vp8Delta(int length, int seed)
    {
        byte[] frame = Filler(length, seed);
        frame[0] = 0x31; // P bit set: interframe
        return frame;
    }

    /// <summary>Pushes packets with consecutive extended sequence numbers taken from the RTP header.</summary>
    public static List<(byte[] Data, long Timestamp, bool Key, int Width, int Height)> Run(IFrameAssembler assembler, IEnumerable<byte[]> packets, long baseSequence = 0)
    {
        var frames = new List<(byte[], long, bool, int, int)>();
        long arrival = 0;
        foreach (byte[] bytes in packets)
        {
            Assert.True(RtpPacket.TryParse(bytes, out RtpPacket rtp));
            assembler.Push(rtp, baseSequence + rtp.SequenceNumber, arrival += 1000);
            while (assembler.TryTakeFrame(out EncodedFrame frame))
            {
                frames.Add((frame.Data.ToArray(), frame.Timestamp, frame.IsKeyframe, frame.Width, frame.Height));
            }
        }
        return frames;
    }
}
