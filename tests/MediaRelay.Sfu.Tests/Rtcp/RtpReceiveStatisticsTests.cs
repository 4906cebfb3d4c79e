using System.Diagnostics;
using MediaRelay.Rtp.Rtcp;
using MediaRelay.Sfu.Rtcp;

namespace MediaRelay.Sfu.Tests.Rtcp;

public class RtpReceiveStatisticsTests
{
    private const uint PublisherSsrc = 0x11223344;
    private static readonly long T0 = TestMedia.T0;

    private static long Ms(long ms) => TestMedia.Milliseconds(ms);

    private static void Receive(RtpReceiveStatistics stats, params int[] sequences)
    {
        foreach (int seq in sequences)
        {
            stats.OnPacket((ushort)seq, (uint)seq * 960, 48000, T0 + Ms(seq & 0xFFFF));
        }
    }

    [Fact]
    public void UnwrapsAcrossTheSequenceWrapAndCountsLoss()
    {
        var stats = new RtpReceiveStatistics();
        // 65530..65535, 0..9 without 65533 and 3.
        Receive(stats, 65530, 65531, 65532, 65534, 65535, 0, 1, 2, 4, 5, 6, 7, 8, 9);

        Assert.Equal(14, stats.PacketsReceived);
        Assert.Equal(2, stats.PacketsLost);
        Assert.Equal(0x10009u, stats.ExtendedHighestSequenceNumber);
        RtcpReportBlock block = stats.BuildReportBlock(PublisherSsrc, T0);
        Assert.Equal(PublisherSsrc, block.Ssrc);
        Assert.Equal(0x10009u, block.ExtendedHighestSequenceNumber);
        Assert.Equal(2, block.CumulativeLost);
        Assert.Equal((byte)(2 * 256 / 16), block.FractionLost);
    }

    [Fact]
    public void ReorderingIsNotLoss()
    {
        var stats = new RtpReceiveStatistics();
        Receive(stats, 1, 2, 4, 3, 5, 8, 6, 7, 9);
        Assert.Equal(0, stats.PacketsLost);

        // Reordered across the wrap as well.
        var wrapped = new RtpReceiveStatistics();
        Receive(wrapped, 65533, 65535, 0, 65534, 2, 1);
        Assert.Equal(0, wrapped.PacketsLost);
        Assert.Equal(6, wrapped.PacketsReceived);
        Assert.Equal(0x10002u, wrapped.ExtendedHighestSequenceNumber);
        RtcpReportBlock block = wrapped.BuildReportBlock(PublisherSsrc, T0);
        Assert.Equal(0, block.FractionLost);
        Assert.Equal(0, block.CumulativeLost);
    }

    [Fact]
    public void APacketOlderThanTheFirstMovesTheBaseBack()
    {
        var stats = new RtpReceiveStatistics();
        Receive(stats, 10, 11, 9, 8);
        Assert.Equal(4, stats.PacketsReceived);
        Assert.Equal(0, stats.PacketsLost);
        Assert.Equal(11u, stats.ExtendedHighestSequenceNumber);

        var wrapped = new RtpReceiveStatistics();
        Receive(wrapped, 1, 0, 65535, 2);
        Assert.Equal(0, wrapped.PacketsLost);
        Assert.Equal(2u, wrapped.ExtendedHighestSequenceNumber);
    }

    [Fact]
    public void DuplicatesAreNotDoubleCounted()
    {
        var stats = new RtpReceiveStatistics();
        Assert.True(stats.OnPacket(1, 0, 90000, T0));
        Assert.True(stats.OnPacket(2, 0, 90000, T0));
        Assert.False(stats.OnPacket(2, 0, 90000, T0));
        Assert.True(stats.OnPacket(4, 0, 90000, T0));
        Assert.True(stats.OnPacket(3, 0, 90000, T0));  // late, first time
        Assert.False(stats.OnPacket(3, 0, 90000, T0)); // late duplicate
        Assert.False(stats.OnPacket(1, 0, 90000, T0));

        Assert.Equal(4, stats.PacketsReceived);
        Assert.Equal(3, stats.Duplicates);
        Assert.Equal(0, stats.PacketsLost);
        Assert.Equal(0, stats.BuildReportBlock(PublisherSsrc, T0).CumulativeLost);
    }

    [Fact]
    public void FractionLostCoversOnlyTheIntervalSinceThePreviousBlock()
    {
        var stats = new RtpReceiveStatistics();
        for (int seq = 0; seq < 100; seq++)
        {
            stats.OnPacket((ushort)seq, 0, 90000, T0);
        }
        RtcpReportBlock first = stats.BuildReportBlock(PublisherSsrc, T0);
        Assert.Equal(0, first.FractionLost);
        Assert.False(stats.HasPacketsSinceLastReport);

        // Next 100 expected: 10 lost (every tenth).
        for (int seq = 100; seq < 200; seq++)
        {
            if (seq % 10 != 5)
            {
                stats.OnPacket((ushort)seq, 0, 90000, T0);
            }
        }
        Assert.True(stats.HasPacketsSinceLastReport);
        RtcpReportBlock second = stats.BuildReportBlock(PublisherSsrc, T0);
        Assert.Equal(25, second.FractionLost); // 10/100 × 256 = 25.6 → 25
        Assert.Equal(10, second.CumulativeLost);
        Assert.Equal(199u, second.ExtendedHighestSequenceNumber);

        // Clean interval: fraction back to 0, cumulative stays.
        for (int seq = 200; seq < 300; seq++)
        {
            stats.OnPacket((ushort)seq, 0, 90000, T0);
        }
        RtcpReportBlock third = stats.BuildReportBlock(PublisherSsrc, T0);
        Assert.Equal(0, third.FractionLost);
        Assert.Equal(10, third.CumulativeLost);

        // The next interval loses 195..198; they then arrive late (retransmitted) in the one after: that
        // interval's loss is negative, reported as 0, and the cumulative count drops back.
        for (int seq = 300; seq < 400; seq++)
        {
            if (seq is < 395 or > 398)
            {
                stats.OnPacket((ushort)seq, 0, 90000, T0);
            }
        }
        RtcpReportBlock fourth = stats.BuildReportBlock(PublisherSsrc, T0);
        Assert.Equal(10, fourth.FractionLost); // 4/100 × 256 = 10.24
        Assert.Equal(14, fourth.CumulativeLost);
        for (int seq = 395; seq <= 398; seq++)
        {
            Assert.True(stats.OnPacket((ushort)seq, 0, 90000, T0));
        }
        RtcpReportBlock fifth = stats.BuildReportBlock(PublisherSsrc, T0);
        Assert.Equal(0, fifth.FractionLost);
        Assert.Equal(10, fifth.CumulativeLost);
        Assert.Equal(399u, fifth.ExtendedHighestSequenceNumber);
    }

    [Fact]
    public void EmptyIntervalReportsNoLoss()
    {
        var stats = new RtpReceiveStatistics();
        RtcpReportBlock none = stats.BuildReportBlock(PublisherSsrc, T0);
        Assert.Equal(new RtcpReportBlock(PublisherSsrc, 0, 0, 0, 0, 0, 0), none);

        Receive(stats, 1, 2, 3);
        stats.BuildReportBlock(PublisherSsrc, T0);
        RtcpReportBlock idle = stats.BuildReportBlock(PublisherSsrc, T0);
        Assert.Equal(0, idle.FractionLost);
        Assert.Equal(3u, idle.ExtendedHighestSequenceNumber);
    }

    [Fact]
    public void ConfirmedSequenceRestartIsNeitherLossNorGap()
    {
        var stats = new RtpReceiveStatistics();
        for (int seq = 1; seq <= 100; seq++)
        {
            stats.OnPacket((ushort)seq, 0, 90000, T0);
        }
        stats.BuildReportBlock(PublisherSsrc, T0);

        Assert.False(stats.OnPacket(30000, 0, 90000, T0)); // held: could be a stray
        Assert.True(stats.OnPacket(30001, 0, 90000, T0));  // confirmed: both count
        Assert.True(stats.OnPacket(30002, 0, 90000, T0));

        Assert.Equal(103, stats.PacketsReceived);
        Assert.Equal(0, stats.PacketsLost);
        RtcpReportBlock block = stats.BuildReportBlock(PublisherSsrc, T0);
        Assert.Equal(0, block.FractionLost);
        Assert.Equal(0, block.CumulativeLost);
        Assert.Equal(30002, (int)(block.ExtendedHighestSequenceNumber & 0xFFFF));
        Assert.True(block.ExtendedHighestSequenceNumber > 100);

        // A backwards restart keeps the reported extended number increasing.
        Assert.False(stats.OnPacket(500, 0, 90000, T0));
        Assert.True(stats.OnPacket(501, 0, 90000, T0));
        Assert.Equal(0, stats.PacketsLost);
        Assert.Equal(0x10000u + 501, stats.ExtendedHighestSequenceNumber);
        Assert.True(stats.OnPacket(502, 0, 90000, T0));
        Assert.Equal(0, stats.PacketsLost);
    }

    [Fact]
    public void AStrayJumpIsIgnored()
    {
        var stats = new RtpReceiveStatistics();
        Receive(stats, 1, 2, 3);
        Assert.False(stats.OnPacket(40000, 0, 90000, T0));
        Assert.True(stats.OnPacket(4, 0, 90000, T0));
        Assert.False(stats.OnPacket(40001, 0, 90000, T0)); // not right after 40000: still unconfirmed
        Assert.True(stats.OnPacket(5, 0, 90000, T0));
        Assert.Equal(5, stats.PacketsReceived);
        Assert.Equal(0, stats.PacketsLost);
        Assert.Equal(5u, stats.ExtendedHighestSequenceNumber);
    }

    [Fact]
    public void JitterIsZeroForConstantTransit()
    {
        var stats = new RtpReceiveStatistics();
        for (int i = 0; i < 500; i++)
        {
            stats.OnPacket((ushort)i, 12345u + ((uint)i * 960), 48000, T0 + Ms(20L * i));
        }
        Assert.Equal(0u, stats.Jitter);
        Assert.Equal(0.0, stats.JitterMilliseconds);
        Assert.Equal(0u, stats.BuildReportBlock(PublisherSsrc, T0).Jitter);
    }

    [Theory]
    [InlineData(48000, 20, new[] { 0, 5 })]              // alternating 0/5 ms extra delay
    [InlineData(90000, 33, new[] { 0, 3, 1, 7, 2, 0, 12 })] // a known irregular pattern
    public void JitterFollowsTheAppendixA8Estimator(int clockRate, int frameMs, int[] extraDelayMs)
    {
        var stats = new RtpReceiveStatistics();
        uint timestampStep = (uint)(clockRate * frameMs / 1000);
        double expected = 0;
        double previousTransit = 0;
        for (int i = 0; i < 400; i++)
        {
            int extra = extraDelayMs[i % extraDelayMs.Length];
            long arrival = T0 + Ms((long)frameMs * i) + Ms(extra);
            stats.OnPacket((ushort)i, (uint)i * timestampStep, clockRate, arrival);

            // RFC 3550 A.8: D = (Rj - Ri) - (Sj - Si) in RTP units; J += (|D| - J) / 16.
            double transit = (((double)frameMs * i) + extra) * clockRate / 1000.0 - ((double)i * timestampStep);
            if (i > 0)
            {
                expected += (Math.Abs(transit - previousTransit) - expected) / 16;
            }
            previousTransit = transit;
        }
        Assert.InRange((double)stats.Jitter, expected - 2, expected + 1);
        Assert.InRange(stats.JitterMilliseconds, (expected - 2) * 1000 / clockRate, (expected + 1) * 1000 / clockRate);
        if (extraDelayMs.Length == 2)
        {
            Assert.InRange((int)stats.Jitter, 238, 240); // converged to |D| = 5 ms at 48 kHz
        }
    }

    [Fact]
    public void PacketsOfOneFrameDoNotAddJitter()
    {
        var stats = new RtpReceiveStatistics();
        ushort seq = 0;
        for (int frame = 0; frame < 100; frame++)
        {
            for (int packet = 0; packet < 5; packet++) // paced 2 ms apart by the sender
            {
                stats.OnPacket(seq++, (uint)frame * 2970, 90000, T0 + Ms((33L * frame) + (2L * packet)));
            }
        }
        Assert.Equal(0u, stats.Jitter); // frames exactly 33 ms apart at both ends; the 2 ms pacing is ignored
    }

    [Fact]
    public void ReportsLastSenderReportAndDelaySinceIt()
    {
        var stats = new RtpReceiveStatistics();
        Receive(stats, 1, 2, 3);
        RtcpReportBlock before = stats.BuildReportBlock(PublisherSsrc, T0);
        Assert.Equal(0u, before.LastSenderReport);
        Assert.Equal(0u, before.DelaySinceLastSenderReport);

        ulong ntp = NtpTime.FromDateTime(new DateTime(2025, 3, 1, 12, 0, 0, 250, DateTimeKind.Utc));
        stats.OnSenderReport(ntp, T0 + Ms(100));
        Assert.True(stats.HasSenderReport);

        RtcpReportBlock after = stats.BuildReportBlock(PublisherSsrc, T0 + Ms(1600));
        Assert.Equal((uint)(ntp >> 16), after.LastSenderReport);
        Assert.Equal(98304u, after.DelaySinceLastSenderReport); // 1.5 s × 65536

        RtcpReportBlock quarter = stats.BuildReportBlock(PublisherSsrc, T0 + Ms(350));
        Assert.Equal(16384u, quarter.DelaySinceLastSenderReport);

        // A clock that looks earlier than the SR's arrival reports 0, never a wrapped value.
        Assert.Equal(0u, stats.BuildReportBlock(PublisherSsrc, T0).DelaySinceLastSenderReport);
    }

    [Fact]
    public void DelaySinceLastSenderReportSaturatesInsteadOfWrapping()
    {
        var stats = new RtpReceiveStatistics();
        stats.OnSenderReport(1UL << 40, T0);
        long longAfter = T0 + (70_000L * Stopwatch.Frequency); // > 65536 s
        Assert.Equal(uint.MaxValue, stats.BuildReportBlock(PublisherSsrc, longAfter).DelaySinceLastSenderReport);
    }

    [Fact]
    public void CumulativeLostIsClampedTo24Bits()
    {
        var stats = new RtpReceiveStatistics();
        ushort seq = 0;
        stats.OnPacket(seq, 0, 90000, T0);
        // 3000 steps of 2999 lose ~9M packets, more than 0x7FFFFF.
        for (int i = 0; i < 3000; i++)
        {
            seq = (ushort)(seq + 2999);
            Assert.True(stats.OnPacket(seq, 0, 90000, T0));
        }
        Assert.True(stats.PacketsLost > RtcpReportBlock.MaxCumulativeLost);
        RtcpReportBlock block = stats.BuildReportBlock(PublisherSsrc, T0);
        Assert.Equal(RtcpReportBlock.MaxCumulativeLost, block.CumulativeLost);
        Assert.Equal(255, block.FractionLost);
    }

    [Fact]
    public void RandomInputNeverThrowsAndStaysConsistent()
    {
        var random = new Random(7);
        var stats = new RtpReceiveStatistics();
        long time = T0;
        ushort seq = 1000;
        for (int i = 0; i < 100_000; i++)
        {
            int r = random.Next(10);
            seq = r switch
            {
                < 6 => (ushort)(seq + 1),
                6 => (ushort)(seq - random.Next(200)),
                7 => (ushort)(seq + random.Next(5000)),
                8 => (ushort)random.Next(65536),
                _ => seq,
            };
            time += random.Next(-1000, 5_000_000);
            stats.OnPacket(seq, (uint)random.Next(), random.Next(-1, 3) * 48000, time);
            if (i % 997 == 0)
            {
                stats.OnSenderReport((ulong)random.NextInt64(), time - random.Next(1_000_000));
                RtcpReportBlock block = stats.BuildReportBlock(PublisherSsrc, time);
                Assert.InRange(block.CumulativeLost, RtcpReportBlock.MinCumulativeLost, RtcpReportBlock.MaxCumulativeLost);
            }
        }
        Assert.True(stats.PacketsReceived > 0);
        Assert.True(stats.PacketsLost >= 0);
    }
}
