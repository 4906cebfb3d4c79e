using MediaRelay.Recording.Media;
using MediaRelay.Rtp;
using MediaRelay.Rtp.Codecs;
using static MediaRelay.Recording.Tests.Media.RtpTestPackets;

namespace MediaRelay.Recording.Tests.Media;

public class MediaGarbageTests
{
    private static IFrameAssembler[] Assemblers() => [new Vp8FrameAssembler(), new H264FrameAssembler(), new OpusFrameAssembler(63)];

    [Fact]
    public void RandomPayloadsNeverThrow()
    {
        var random = new Random(42);
        IFrameAssembler[] assemblers = Assemblers();
        var buffer = new TrackReorderBuffer(windowPackets: 20);
        for (int i = 0; i < 20_000; i++)
        {
            var payload = new byte[random.Next(0, 64)];
            random.NextBytes(payload);
            byte[] packet = Packet((ushort)random.Next(), (uint)random.Next(), random.Next(2) == 0, (byte)(random.Next(2) == 0 ? 63 : 96), payload);
            Assert.True(RtpPacket.TryParse(packet, out RtpPacket rtp));
            foreach (IFrameAssembler assembler in assemblers)
            {
                assembler.Push(rtp, i + random.Next(0, 2), i);
                while (assembler.TryTakeFrame(out _))
                {
                }
            }
            var raw = new byte[random.Next(0, 40)];
            random.NextBytes(raw);
            buffer.Push(random.Next(2) == 0 ? raw : packet, i * 100L);
            while (buffer.TryPop(out ReorderedPacket reordered))
            {
                _ = reordered.Rtp.Payload.Length;
            }
            H264SequenceParameterSet.TryReadSize(payload, out _, out _);
            if (payload.Length > 0)
            {
                payload[0] = 0x67;
                H264SequenceParameterSet.TryReadSize(payload, out _, out _);
            }
        }
        foreach (IFrameAssembler assembler in assemblers)
        {
            assembler.Flush();
        }
    }

    [Fact]
    public void TruncatedAndMutatedRealPacketsNeverThrow()
    {
        var random = new Random(7);
        var sources = new List<byte[]>();
        sources.AddRange(Vp8Frame(1, 0, Vp8Keyframe(900, 1), 3));
        sources.Add(Packet(4, 0, false, 102, [0x78, 0, (byte)Sps240.Length, .. Sps240, 0, (byte)Pps240.Length, .. Pps240]));
        sources.Add(Packet(5, 0, false, 102, [0x7C, 0x85, 1, 2, 3]));
        sources.Add(Packet(6, 0, true, 102, [0x7C, 0x45, 4, 5, 6]));
        sources.Add(Packet(7, 0, true, 63, [0xEF, 0x0F, 0x00, 0x03, 111, 1, 2, 3, 4, 5]));
        IFrameAssembler[] assemblers = Assemblers();
        long sequence = 0;
        for (int i = 0; i < 20_000; i++)
        {
            byte[] source = sources[random.Next(sources.Count)];
            byte[] mutated = source.AsSpan(0, random.Next(12, source.Length + 1)).ToArray();
            if (mutated.Length > 12 && random.Next(2) == 0)
            {
                mutated[random.Next(12, mutated.Length)] = (byte)random.Next(256);
            }
            if (!RtpPacket.TryParse(mutated, out RtpPacket rtp))
            {
                continue;
            }
            sequence += random.Next(1, 3);
            foreach (IFrameAssembler assembler in assemblers)
            {
                assembler.Push(rtp, sequence, i);
                while (assembler.TryTakeFrame(out EncodedFrame frame))
                {
                    Assert.True(frame.Length > 0);
                }
            }
        }
    }
}
