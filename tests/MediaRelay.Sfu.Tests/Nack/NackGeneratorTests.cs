using MediaRelay.Sfu.Nack;
using MediaRelay.Testing;

namespace MediaRelay.Sfu.Tests.Nack;

public class NackGeneratorTests
{
    private static readonly long T0 = TestMedia.T0;
    private static readonly TimeSpan Rtt = TimeSpan.FromMilliseconds(200);

    private static long Ms(long ms) => T0 + TestMedia.Milliseconds(ms);

    private static ushort[] Collect(NackGenerator generator, long now, TimeSpan? rtt = null, int room = 64)
    {
        var buffer = new ushort[room];
        int n = generator.CollectDue(now, rtt ?? Rtt, buffer);
        return buffer.AsSpan(0, n).ToArray();
    }

    [Fact]
    public void SingleLossIsRequestedAfterTheDelayThenEveryRttThenGivenUp()
    {
        var generator = new NackGenerator();
        generator.OnPacket(100, Ms(0));
        generator.OnPacket(102, Ms(1)); // 101 missing
        Assert.Equal(1, generator.MissingCount);

        Assert.Empty(Collect(generator, Ms(10))); // inside the 15 ms reordering delay
        Assert.Equal(new ushort[] { 101 }, Collect(generator, Ms(16)));
        Assert.Empty(Collect(generator, Ms(17))); // just sent

        long t = 16;
        for (int retry = 2; retry <= 10; retry++)
        {
            Assert.Empty(Collect(generator, Ms(t + 199)));
            t += 200;
            Assert.Equal(new ushort[] { 101 }, Collect(generator, Ms(t)));
        }
        Assert.Equal(10, generator.NacksSent);
        Assert.False(generator.KeyFrameNeeded);

        Assert.Empty(Collect(generator, Ms(t + 200))); // 10 requests made: given up
        Assert.Equal(1, generator.GivenUp);
        Assert.Equal(0, generator.MissingCount);
        Assert.True(generator.KeyFrameNeeded);
        generator.ClearKeyFrameNeeded();
        Assert.False(generator.KeyFrameNeeded);
        Assert.Empty(Collect(generator, Ms(t + 1000)));
    }

    [Fact]
    public void RetryIntervalIsAtLeast20Milliseconds()
    {
        var generator = new NackGenerator();
        generator.OnPacket(1, Ms(0));
        generator.OnPacket(3, Ms(0));
        TimeSpan lanRtt = TimeSpan.FromMilliseconds(2);
        Assert.Equal(new ushort[] { 2 }, Collect(generator, Ms(15), lanRtt));
        Assert.Empty(Collect(generator, Ms(34), lanRtt));
        Assert.Equal(new ushort[] { 2 }, Collect(generator, Ms(35), lanRtt));
    }

    [Fact]
    public void ReorderingWithinTheDelayIsNotRequested()
    {
        var generator = new NackGenerator();
        generator.OnPacket(10, Ms(0));
        generator.OnPacket(12, Ms(1));
        generator.OnPacket(11, Ms(5)); // late by 4 ms
        Assert.Empty(Collect(generator, Ms(20)));
        Assert.Equal(0, generator.MissingCount);
        Assert.Equal(1, generator.Reordered);
        Assert.Equal(0, generator.Recovered);
        Assert.Equal(0, generator.NacksSent);
    }

    [Fact]
    public void RecoveryRemovesTheEntryAndIsCounted()
    {
        var generator = new NackGenerator();
        generator.OnPacket(10, Ms(0));
        generator.OnPacket(15, Ms(0)); // 11..14 missing
        Assert.Equal(new ushort[] { 11, 12, 13, 14 }, Collect(generator, Ms(15)));
        generator.OnPacket(12, Ms(120)); // retransmissions arrive
        generator.OnPacket(14, Ms(121));
        generator.OnPacket(14, Ms(122)); // duplicate retransmission
        Assert.Equal(2, generator.Recovered);
        Assert.Equal(2, generator.MissingCount);
        Assert.Equal(new ushort[] { 11, 13 }, Collect(generator, Ms(215)));
        Assert.Equal(6, generator.NacksSent);
    }

    [Fact]
    public void WrapAroundIsHandledInOrder()
    {
        var generator = new NackGenerator();
        generator.OnPacket(65533, Ms(0));
        generator.OnPacket(2, Ms(1)); // 65534, 65535, 0, 1 missing
        Assert.Equal(4, generator.MissingCount);
        Assert.Equal(new ushort[] { 65534, 65535, 0, 1 }, Collect(generator, Ms(20)));
        generator.OnPacket(65535, Ms(30));
        generator.OnPacket(0, Ms(31));
        Assert.Equal(2, generator.Recovered);
        Assert.Equal(new ushort[] { 65534, 1 }, Collect(generator, Ms(220)));
    }

    [Fact]
    public void DestinationTooSmallLeavesTheRestForTheNextCall()
    {
        var generator = new NackGenerator();
        generator.OnPacket(0, Ms(0));
        generator.OnPacket(11, Ms(0)); // 1..10 missing
        Assert.Equal(new ushort[] { 1, 2, 3, 4 }, Collect(generator, Ms(15), room: 4));
        Assert.Equal(new ushort[] { 5, 6, 7, 8, 9, 10 }, Collect(generator, Ms(16)));
        Assert.Equal(10, generator.NacksSent);
    }

    [Fact]
    public void BurstOf600LossesAsksForAKeyFrameInstead()
    {
        var generator = new NackGenerator();
        generator.OnPacket(1000, Ms(0));
        generator.OnPacket(1601, Ms(1)); // 600 missing
        Assert.True(generator.KeyFrameNeeded);
        Assert.Equal(0, generator.MissingCount);
        Assert.Equal(600, generator.GivenUp);
        Assert.Empty(Collect(generator, Ms(20)));

        // Later losses are NACKed normally again.
        generator.ClearKeyFrameNeeded();
        generator.OnPacket(1603, Ms(30));
        Assert.Equal(new ushort[] { 1602 }, Collect(generator, Ms(50)));
        Assert.False(generator.KeyFrameNeeded);
    }

    [Fact]
    public void EntriesFallingOutOfTheWindowAreGivenUp()
    {
        var generator = new NackGenerator(capacity: 16, keyFrameThreshold: 100);
        generator.OnPacket(0, Ms(0));
        generator.OnPacket(2, Ms(0)); // 1 missing
        for (ushort s = 3; s <= 16; s++)
        {
            generator.OnPacket(s, Ms(1));
        }
        Assert.Equal(1, generator.MissingCount); // the window is the last 16 numbers: [1, 16]
        generator.OnPacket(17, Ms(2));
        Assert.Equal(0, generator.MissingCount);
        Assert.Equal(1, generator.GivenUp);
        Assert.True(generator.KeyFrameNeeded);
        generator.OnPacket(1, Ms(3)); // too late: ignored
        Assert.Equal(0, generator.Recovered);
    }

    [Theory]
    [InlineData(1002)] // forward jump > 1000
    [InlineData(-1001)] // backward jump > 1000
    public void LargeJumpIsAResetThatClearsState(int jump)
    {
        var generator = new NackGenerator();
        generator.OnPacket(5000, Ms(0));
        generator.OnPacket(5003, Ms(0)); // 5001, 5002 missing
        ushort next = (ushort)(5003 + jump);
        generator.OnPacket(next, Ms(1));
        Assert.Equal(0, generator.MissingCount);
        Assert.Equal(2, generator.GivenUp);
        Assert.True(generator.KeyFrameNeeded);
        Assert.Empty(Collect(generator, Ms(100)));

        generator.OnPacket((ushort)(next + 2), Ms(101)); // continues from the new base
        Assert.Equal(new ushort[] { (ushort)(next + 1) }, Collect(generator, Ms(120)));
    }

    [Fact]
    public void OnPacketTellsNewPacketsFromDuplicates()
    {
        var generator = new NackGenerator();
        Assert.True(generator.OnPacket(65534, Ms(0)));  // the first
        Assert.True(generator.OnPacket(65535, Ms(1)));  // in order
        Assert.False(generator.OnPacket(65535, Ms(2))); // the highest again
        Assert.True(generator.OnPacket(2, Ms(3)));      // across the wrap: 0 and 1 missing
        Assert.True(generator.OnPacket(0, Ms(4)));      // fills a gap (reordered)
        Assert.False(generator.OnPacket(0, Ms(5)));     // and again: a duplicate
        Assert.False(generator.OnPacket(65534, Ms(6))); // older, arrived already (RTX payload padding)
        Assert.True(generator.OnPacket(1, Ms(200)));    // a retransmission of the last missing one
        Assert.False(generator.OnPacket(1, Ms(201)));
        Assert.True(generator.OnPacket(5000, Ms(300))); // a jump past MaxGap: a new start
        Assert.Equal(4, generator.Duplicates);
        Assert.Equal(0, generator.MissingCount);
    }

    [Fact]
    public void PacketGivenUpCountsAsDuplicateWhenItArrivesAfterAll()
    {
        var generator = new NackGenerator(maxRequests: 1);
        generator.OnPacket(10, Ms(0));
        generator.OnPacket(12, Ms(0));
        Assert.Equal(new ushort[] { 11 }, Collect(generator, Ms(20)));
        Assert.Empty(Collect(generator, Ms(300))); // given up: a keyframe repairs it
        Assert.False(generator.OnPacket(11, Ms(301)));
    }

    [Fact]
    public void ResetForgetsEverything()
    {
        var generator = new NackGenerator();
        generator.OnPacket(1, Ms(0));
        generator.OnPacket(5, Ms(0));
        generator.Reset();
        Assert.Equal(0, generator.MissingCount);
        generator.OnPacket(40000, Ms(1)); // first packet after a reset: no gap
        generator.OnPacket(40001, Ms(2));
        Assert.Empty(Collect(generator, Ms(100)));
        Assert.False(generator.KeyFrameNeeded);
    }

    [Fact]
    public void OnPacketAndCollectDueAllocateNothing()
    {
        var generator = new NackGenerator();
        var buffer = new ushort[64];
        long collected = 0;
        void Run(int from, int count)
        {
            for (int i = from; i < from + count; i++)
            {
                long now = Ms(i);
                if (i % 50 != 7)
                {
                    generator.OnPacket((ushort)i, now); // one loss in 50, never recovered
                }
                if (i % 97 == 3)
                {
                    generator.OnPacket((ushort)(i - 30), now); // a late retransmission now and then
                }
                collected += generator.CollectDue(now, Rtt, buffer);
            }
        }
        Run(0, 2_000);

        int next = 2_000;
        long allocated = AllocationMeter.Measure(() =>
        {
            Run(next, 70_000); // each run crosses 65535 -> 0 once
            next += 70_000;
        });

        Assert.Equal(0, allocated);
        Assert.True(collected > 0);
        Assert.True(generator.GivenUp > 0);
    }
}
