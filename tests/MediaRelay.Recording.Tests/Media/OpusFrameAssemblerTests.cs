using System.Buffers.Binary;
using MediaRelay.Recording.Media;
using static MediaRelay.Recording.Tests.Media.RtpTestPackets;

namespace MediaRelay.Recording.Tests.Media;

public class OpusFrameAssemblerTests
{
    /// <summary>RFC 2198 §3: one redundant block (offset, length) then the primary.</summary>
    private static byte[] Red(byte[] redundant, int offset, byte[] primary)
    {
        var payload = new byte[5 + redundant.Length + primary.Length];
        BinaryPrimitives.WriteUInt32BigEndian(payload, 0x8000_0000u | (111u << 24) | ((uint)offset << 10) | (uint)redundant.Length);
        payload[4] = 111;
        redundant.CopyTo(payload, 5);
        primary.CopyTo(payload, 5 + redundant.Length);
        return payload;
    }

    [Fact]
    public void OnePacketIsOneFrame()
    {
        byte[] a = Filler(60, 1), b = Filler(80, 2);
        var frames = Run(new OpusFrameAssembler(), [Packet(1, 960, true, 111, a), Packet(2, 1920, false, 111, b)]);
        Assert.Equal(2, frames.Count);
        Assert.Equal(a, frames[0].Data);
        Assert.Equal(b, frames[1].Data);
        Assert.Equal(1920, frames[1].Timestamp);
        Assert.All(frames, f => Assert.True(f.Key));
    }

    [Fact]
    public void RedPrimaryIsExtractedAndRedundancyFillsALoss()
    {
        byte[] f1 = Filler(40, 3), f2 = Filler(41, 4), f3 = Filler(42, 5), f4 = Filler(43, 6);
        var packets = new List<byte[]>
        {
            Packet(10, 960, false, 63, [111, .. f1]), // primary only
            Packet(11, 1920, false, 63, Red(f1, 960, f2)),
            // 12 (f3) lost
            Packet(13, 3840, false, 63, Red(f3, 960, f4)),
        };
        var assembler = new OpusFrameAssembler(redPayloadType: 63);
        var frames = Run(assembler, packets);
        Assert.Equal(new long[] { 960, 1920, 2880, 3840 }, frames.Select(f => f.Timestamp));
        Assert.Equal(f1, frames[0].Data);
        Assert.Equal(f2, frames[1].Data);
        Assert.Equal(f3, frames[2].Data);
        Assert.Equal(f4, frames[3].Data);
        Assert.Equal(1, assembler.FramesRecovered);
    }

    [Fact]
    public void DtxGapStaysAGap()
    {
        var frames = Run(new OpusFrameAssembler(), [Packet(1, 0, false, 111, [1]), Packet(2, 48_000, false, 111, [2])]);
        Assert.Equal(new long[] { 0, 48_000 }, frames.Select(f => f.Timestamp));
    }
}
