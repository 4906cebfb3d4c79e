using System.Buffers.Binary;
using MediaRelay.Recording.Media;
using MediaRelay.Rtp.Codecs;
using static MediaRelay.Recording.Tests.Media.RtpTestPackets;

namespace MediaRelay.Recording.Tests.Media;

public class H264FrameAssemblerTests
{
    private static readonly byte[] StartCode = [0, 0, 0, 1];

    private static byte[] StapA(params byte[][] nals)
    {
        var bytes = new List<byte> { 0x78 }; // F=0, NRI=3, type 24
        foreach (byte[] nal in nals)
        {
            var size = new byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(size, (ushort)nal.Length);
            bytes.AddRange(size);
            bytes.AddRange(nal);
        }
        return [.. bytes];
    }

    /// <summary>RFC 6184 §5.8: splits a NAL unit into FU-A payloads.</summary>
    private static List<byte[]> FuA(byte[] nal, int parts)
    {
        var result = new List<byte[]>();
        byte indicator = (byte)((nal[0] & 0xE0) | 28);
        int body = nal.Length - 1;
        int chunk = (body + parts - 1) / parts;
        for (int i = 0; i < parts; i++)
        {
            int start = 1 + (i * chunk);
            int length = Math.Min(chunk, nal.Length - start);
            byte header = (byte)((i == 0 ? 0x80 : 0) | (i == parts - 1 ? 0x40 : 0) | (nal[0] & 0x1F));
            result.Add([indicator, header, .. nal.AsSpan(start, length)]);
        }
        return result;
    }

    private static byte[] Idr(int length, int seed)
    {
        byte[] nal = Filler(length, seed);
        nal[0] = 0x65; // NRI=3, type 5
        return nal;
    }

    private static byte[] Slice(int length, int seed)
    {
        byte[] nal = Filler(length, seed);
        nal[0] = 0x41; // NRI=2, type 1
        return nal;
    }

    private static byte[] AnnexB(params byte[][] nals) => [.. nals.SelectMany(n => StartCode.Concat(n))];

    private static List<byte[]> Packets(ref ushort sequence, uint timestamp, List<byte[]> payloads)
    {
        var packets = new List<byte[]>();
        for (int i = 0; i < payloads.Count; i++)
        {
            packets.Add(Packet(sequence++, timestamp, i == payloads.Count - 1, 102, payloads[i]));
        }
        return packets;
    }

    [Fact]
    public void StapAAndFuAMakeAnAnnexBKeyframeWithSize()
    {
        byte[] idr = Idr(4000, 1);
        ushort seq = 100;
        var payloads = new List<byte[]> { StapA(Sps1080, Pps1080) };
        payloads.AddRange(FuA(idr, 3));
        var frames = Run(new H264FrameAssembler(), Packets(ref seq, 90_000, payloads));
        var frame = Assert.Single(frames);
        Assert.True(frame.Key);
        Assert.Equal(AnnexB(Sps1080, Pps1080, idr), frame.Data);
        Assert.Equal((1920, 1080), (frame.Width, frame.Height));
    }

    [Fact]
    public void StoredParameterSetsArePrependedToAKeyframeThatLacksThem()
    {
        ushort seq = 1;
        byte[] idr1 = Idr(200, 2), slice = Slice(150, 3), idr2 = Idr(300, 4);
        var packets = new List<byte[]>();
        packets.AddRange(Packets(ref seq, 0, [StapA(Sps240, Pps240, idr1)]));
        packets.AddRange(Packets(ref seq, 3000, [slice]));
        packets.AddRange(Packets(ref seq, 6000, [idr2]));
        var frames = Run(new H264FrameAssembler(), packets);
        Assert.Equal(3, frames.Count);
        Assert.Equal(AnnexB(slice), frames[1].Data);
        Assert.False(frames[1].Key);
        Assert.Equal(AnnexB(Sps240, Pps240, idr2), frames[2].Data);
        Assert.True(frames[2].Key);
        Assert.Equal((320, 240), (frames[2].Width, frames[2].Height));
    }

    [Fact]
    public void LostFragmentDropsUntilTheNextIdr()
    {
        ushort seq = 1;
        var packets = new List<byte[]>();
        packets.AddRange(Packets(ref seq, 0, [StapA(Sps240, Pps240), .. FuA(Idr(900, 5), 3)]));
        var broken = Packets(ref seq, 3000, FuA(Slice(900, 6), 3));
        broken.RemoveAt(1);
        packets.AddRange(broken);
        packets.AddRange(Packets(ref seq, 6000, [Slice(100, 7)]));
        byte[] idr = Idr(500, 8);
        packets.AddRange(Packets(ref seq, 9000, FuA(idr, 2)));
        var assembler = new H264FrameAssembler();
        var frames = Run(assembler, packets);
        Assert.Equal(new long[] { 0, 9000 }, frames.Select(f => f.Timestamp));
        Assert.Equal(AnnexB(Sps240, Pps240, idr), frames[1].Data);
        Assert.Equal(2, assembler.FramesDropped);
    }

    [Fact]
    public void StartsAtAKeyframeAndNeedsParameterSets()
    {
        ushort seq = 1;
        var packets = new List<byte[]>();
        packets.AddRange(Packets(ref seq, 0, [Slice(100, 9)]));
        packets.AddRange(Packets(ref seq, 3000, [Idr(100, 10)]));          // no SPS/PPS known yet
        packets.AddRange(Packets(ref seq, 6000, [Sps240, Pps240, Idr(100, 11)]));
        var frames = Run(new H264FrameAssembler(), packets);
        Assert.Equal(new long[] { 6000 }, frames.Select(f => f.Timestamp));
        Assert.True(frames[0].Key);
    }

    [Fact]
    public void FragmentStartWhileOpenIsInvalid()
    {
        ushort seq = 1;
        var fu = FuA(Idr(300, 12), 3);
        var assembler = new H264FrameAssembler();
        var frames = Run(assembler, Packets(ref seq, 0, [StapA(Sps240, Pps240), fu[0], fu[0], fu[2]]));
        Assert.Empty(frames);
        Assert.Equal(1, assembler.PacketsInvalid);
    }

    [Theory]
    [InlineData("67640028acd940780227e5c044000003000400000300083c60c658", 1920, 1080)]
    [InlineData("6742c00bd90141fb011000000300100000030020f142a480", 320, 240)]
    public void SequenceParameterSetSize(string hex, int width, int height)
    {
        Assert.True(H264SequenceParameterSet.TryReadSize(Convert.FromHexString(hex), out int w, out int h));
        Assert.Equal((width, height), (w, h));
    }
}
