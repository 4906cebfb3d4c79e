using MediaRelay.Recording.Media;
using MediaRelay.Rtp;
using static MediaRelay.Recording.Tests.Media.RtpTestPackets;

namespace MediaRelay.Recording.Tests.Media;

public class Vp8FrameAssemblerTests
{
    [Fact]
    public void KeyframeOverFivePacketsIsReassembledWithSize()
    {
        byte[] frame = Vp8Keyframe(5000, 1);
        var frames = Run(new Vp8FrameAssembler(), Vp8Frame(1000, 90_000, frame, 5));
        var single = Assert.Single(frames);
        Assert.Equal(frame, single.Data);
        Assert.True(single.Key);
        Assert.Equal(90_000, single.Timestamp);
        Assert.Equal((176, 144), (single.Width, single.Height));
    }

    [Fact]
    public void ExtendedDescriptorIsStripped()
    {
        byte[] frame = Vp8Keyframe(300, 2);
        // X=1, S=1 | I=1 | M=1, 15-bit PictureID 0x0102 (RFC 7741 §4.2).
        byte[] first = [0x90, 0x80, 0x81, 0x02, .. frame.AsSpan(0, 100)];
        byte[] second = [0x80, 0x80, 0x81, 0x02, .. frame.AsSpan(100)];
        var frames = Run(new Vp8FrameAssembler(), [Packet(1, 3000, false, 96, first), Packet(2, 3000, true, 96, second)]);
        Assert.Equal(frame, Assert.Single(frames).Data);
    }

    [Fact]
    public void StartsAtAKeyframe()
    {
        var packets = new List<byte[]>();
        packets.AddRange(Vp8Frame(1, 0, Vp8Delta(800, 3), 2));
        packets.AddRange(Vp8Frame(3, 3000, Vp8Keyframe(800, 4), 2));
        packets.AddRange(Vp8Frame(5, 6000, Vp8Delta(800, 5), 2));
        var assembler = new Vp8FrameAssembler();
        var frames = Run(assembler, packets);
        Assert.Equal(new long[] { 3000, 6000 }, frames.Select(f => f.Timestamp));
        Assert.True(frames[0].Key);
        Assert.False(frames[1].Key);
        Assert.Equal(176, frames[1].Width); // size carried over from the keyframe
        Assert.Equal(1, assembler.FramesDropped);
    }

    [Fact]
    public void LosingOnePacketDropsFramesUntilTheNextKeyframe()
    {
        var packets = new List<byte[]>();
        packets.AddRange(Vp8Frame(10, 0, Vp8Keyframe(1000, 6), 5));      // 10..14
        var broken = Vp8Frame(15, 3000, Vp8Delta(1000, 7), 5);            // 15..19, lose 17
        broken.RemoveAt(2);
        packets.AddRange(broken);
        packets.AddRange(Vp8Frame(20, 6000, Vp8Delta(500, 8), 2));       // intact but references the lost frame
        packets.AddRange(Vp8Frame(22, 9000, Vp8Keyframe(900, 9), 3));
        packets.AddRange(Vp8Frame(25, 12000, Vp8Delta(400, 10), 1));
        var assembler = new Vp8FrameAssembler();
        var frames = Run(assembler, packets);
        Assert.Equal(new long[] { 0, 9000, 12000 }, frames.Select(f => f.Timestamp));
        Assert.Equal(2, assembler.FramesDropped);
        Assert.False(assembler.WaitingForKeyframe);
    }

    [Fact]
    public void LostMarkerPacketDropsTheFrame()
    {
        var packets = new List<byte[]>();
        packets.AddRange(Vp8Frame(1, 0, Vp8Keyframe(600, 11), 3));
        var second = Vp8Frame(4, 3000, Vp8Delta(600, 12), 3);
        second.RemoveAt(2); // marker lost
        packets.AddRange(second);
        packets.AddRange(Vp8Frame(7, 6000, Vp8Delta(300, 13), 1));
        var frames = Run(new Vp8FrameAssembler(), packets);
        Assert.Equal(new long[] { 0 }, frames.Select(f => f.Timestamp));
    }

    [Fact]
    public void PaddingPacketsDoNotBreakContinuityAndTimestampsUnwrap()
    {
        var packets = new List<byte[]>();
        packets.AddRange(Vp8Frame(1, 0xFFFF_F000, Vp8Keyframe(600, 14), 2));
        packets.Add(Packet(3, 0xFFFF_F000, false, 96, []));                  // padding-only
        packets.AddRange(Vp8Frame(4, 0x0000_0200, Vp8Delta(300, 15), 1)); // timestamp wrapped
        var frames = Run(new Vp8FrameAssembler(), packets);
        Assert.Equal(new long[] { 0xFFFF_F000, 0x1_0000_0200 }, frames.Select(f => f.Timestamp));
    }

    [Fact]
    public void ReorderBufferFeedsTheAssemblerInOrder()
    {
        var packets = Vp8Frame(65533, 1000, Vp8Keyframe(2500, 16), 5); // wraps the sequence number
        (packets[1], packets[3]) = (packets[3], packets[1]);
        packets.Insert(2, packets[2]);
        var buffer = new TrackReorderBuffer();
        var assembler = new Vp8FrameAssembler();
        int frames = 0;
        long arrival = 0;
        foreach (byte[] p in packets)
        {
            buffer.Push(p, arrival += 1000);
        }
        buffer.Complete();
        while (buffer.TryPop(out ReorderedPacket packet))
        {
            assembler.Push(packet.Rtp, packet.Sequence, packet.ArrivalMicroseconds);
            while (assembler.TryTakeFrame(out EncodedFrame frame))
            {
                frames++;
                Assert.True(frame.IsKeyframe);
                Assert.Equal(2500, frame.Length);
            }
        }
        Assert.Equal(1, frames);
    }
}
