using MediaRelay.Recording.Media;
using static MediaRelay.Recording.Tests.Media.RtpTestPackets;

namespace MediaRelay.Recording.Tests.Media;

public class TrackReorderBufferTests
{
    private static List<(long Sequence, long LostBefore, byte First)> Drain(TrackReorderBuffer buffer, bool complete = false)
    {
        if (complete)
        {
            buffer.Complete();
        }
        var output = new List<(long, long, byte)>();
        while (buffer.TryPop(out ReorderedPacket packet))
        {
            output.Add((packet.Sequence, packet.LostBefore, packet.Rtp.Payload[0]));
        }
        return output;
    }

    [Fact]
    public void ReordersDropsDuplicatesAndReportsLoss()
    {
        var buffer = new TrackReorderBuffer(windowPackets: 10, windowMicroseconds: 1_000_000);
        ushort[] order = [100, 102, 101, 101, 104, 103, 102, 107, 106];
        var output = new List<(long Sequence, long LostBefore, byte First)>();
        long arrival = 0;
        var results = new List<ReorderPushResult>();
        foreach (ushort seq in order)
        {
            results.Add(buffer.Push(Packet(seq, seq * 10u, false, 96, [(byte)seq]), arrival += 1000));
            output.AddRange(Drain(buffer));
        }
        output.AddRange(Drain(buffer, complete: true));

        Assert.Equal(ReorderPushResult.Duplicate, results[3]);
        Assert.Equal(ReorderPushResult.Duplicate, results[6]);
        Assert.Equal(new long[] { 100, 101, 102, 103, 104, 106, 107 }, output.Select(o => o.Sequence));
        Assert.Equal(new byte[] { 100, 101, 102, 103, 104, 106, 107 }, output.Select(o => o.First));
        Assert.Equal(1, output.Single(o => o.Sequence == 106).LostBefore);
        Assert.Equal(1, buffer.Lost);
        Assert.Equal(2, buffer.Duplicates);
    }

    [Fact]
    public void LateAfterReleaseIsDroppedAndLossDeclaredAfterPacketWindow()
    {
        var buffer = new TrackReorderBuffer(windowPackets: 5, windowMicroseconds: 10_000_000);
        buffer.Push(Packet(10, 0, false, 96, [1]), 0);
        Assert.Empty(Drain(buffer)); // held for the window
        for (ushort s = 12; s <= 16; s++)
        {
            buffer.Push(Packet(s, 0, false, 96, [1]), s);
        }
        var output = Drain(buffer);
        Assert.Equal(new long[] { 10 }, output.Select(o => o.Sequence)); // 11 declared lost once 16 arrived
        Assert.Equal(ReorderPushResult.Late, buffer.Push(Packet(11, 0, false, 96, [1]), 20));
        Assert.Equal(1, buffer.Lost);
    }

    [Fact]
    public void TimeWindowReleasesAroundAHole()
    {
        var buffer = new TrackReorderBuffer(windowPackets: 100, windowMicroseconds: 500_000);
        buffer.Push(Packet(1, 0, false, 96, [1]), 0);
        buffer.Push(Packet(3, 0, false, 96, [1]), 10_000);
        Assert.Empty(Drain(buffer));
        buffer.Push(Packet(4, 0, false, 96, [1]), 499_000);
        Assert.Empty(Drain(buffer));
        buffer.Push(Packet(5, 0, false, 96, [1]), 510_000);
        Assert.Equal(new long[] { 1, 3 }, Drain(buffer).Select(o => o.Sequence));
    }

    [Fact]
    public void ReorderedStartMovesTheHeadBack()
    {
        var buffer = new TrackReorderBuffer(windowPackets: 10);
        buffer.Push(Packet(501, 0, false, 96, [1]), 0);
        buffer.Push(Packet(500, 0, false, 96, [1]), 1);
        Assert.Equal(new long[] { 500, 501 }, Drain(buffer, complete: true).Select(o => o.Sequence));
    }

    [Fact]
    public void SequenceWrapUnwrapsToIncreasingNumbers()
    {
        var buffer = new TrackReorderBuffer(windowPackets: 4);
        ushort[] order = [65533, 65535, 65534, 0, 2, 1, 3];
        var output = new List<long>();
        foreach (ushort seq in order)
        {
            buffer.Push(Packet(seq, 0, false, 96, [1]), 0);
            output.AddRange(Drain(buffer).Select(o => o.Sequence));
        }
        output.AddRange(Drain(buffer, complete: true).Select(o => o.Sequence));
        Assert.Equal(new long[] { 65533, 65534, 65535, 65536, 65537, 65538, 65539 }, output);
        Assert.Equal(0, buffer.Lost);
    }

    [Fact]
    public void OutageJumpBeyondCapacityReleasesEverythingAndCountsTheGap()
    {
        var buffer = new TrackReorderBuffer(windowPackets: 10, windowMicroseconds: 500_000);
        var output = new List<(long Sequence, long LostBefore, byte First)>();
        for (ushort s = 0; s < 5; s++)
        {
            buffer.Push(Packet(s, 0, false, 96, [1]), s * 1000);
            output.AddRange(Drain(buffer));
        }
        Assert.Equal(ReorderPushResult.Buffered, buffer.Push(Packet(2005, 0, false, 96, [2]), 3_000_000));
        output.AddRange(Drain(buffer));
        buffer.Push(Packet(2006, 0, false, 96, [2]), 3_001_000);
        output.AddRange(Drain(buffer, complete: true));
        Assert.Equal(new long[] { 0, 1, 2, 3, 4, 2005, 2006 }, output.Select(o => o.Sequence));
        Assert.Equal(2000, output[5].LostBefore);
        Assert.Equal(2000, buffer.Lost);
    }

    [Fact]
    public void InvalidPacketsAreRejected()
    {
        var buffer = new TrackReorderBuffer();
        Assert.Equal(ReorderPushResult.Invalid, buffer.Push([0x00, 1, 2], 0));
        Assert.Equal(ReorderPushResult.Invalid, buffer.Push(new byte[12], 0));
        Assert.Equal(2, buffer.Invalid);
    }
}
