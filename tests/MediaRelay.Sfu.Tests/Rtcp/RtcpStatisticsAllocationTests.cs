using System.Text;
using MediaRelay.Rtp.Rtcp;
using MediaRelay.Sfu.Rtcp;
using MediaRelay.Testing;

namespace MediaRelay.Sfu.Tests.Rtcp;

/// <summary>Gate for the per-packet and per-report paths of the RTCP building blocks: 0 B after warm-up.</summary>
public class RtcpStatisticsAllocationTests
{
    private const int Iterations = 10_000;
    private static readonly long T0 = TestMedia.T0;
    private static readonly byte[] Cname = Encoding.ASCII.GetBytes("mediarelay-sfu");

    /// <summary>Warms up, then measures windows of <see cref="Iterations"/> calls; <c>i</c> keeps counting across them.</summary>
    private static long Measure(Action<int> body)
    {
        int i = 0;
        for (; i < 2_000; i++)
        {
            body(i); // warm-up (tiering)
        }
        return AllocationMeter.Measure(() =>
        {
            for (int end = i + Iterations; i < end; i++)
            {
                body(i);
            }
        });
    }

    [Fact]
    public void OnPacketAllocatesNothing()
    {
        var stats = new RtpReceiveStatistics();
        long allocated = Measure(i =>
        {
            // Mostly in order, some reordering, duplicates and losses.
            ushort seq = (ushort)(i % 7 == 3 ? i - 2 : i % 11 == 5 ? i + 1 : i);
            stats.OnPacket(seq, (uint)i * 3000, 90000, T0 + TestMedia.Milliseconds(i * 33L / 3));
        });
        Assert.Equal(0, allocated);
        Assert.Equal(stats.ExtendedHighestSequenceNumber + 1L, stats.PacketsReceived + stats.PacketsLost);
        Assert.True(stats.Duplicates > 0);
    }

    [Fact]
    public void BuildReportBlockAllocatesNothing()
    {
        var stats = new RtpReceiveStatistics();
        stats.OnSenderReport(0x1234_5678_9ABC_DEF0, T0);
        var blocks = new RtcpReportBlock[1];
        var buffer = new byte[256];
        long allocated = Measure(i =>
        {
            stats.OnPacket((ushort)(i * 2), (uint)i * 960, 48000, T0 + TestMedia.Milliseconds(i * 20L));
            blocks[0] = stats.BuildReportBlock(0x1111, T0 + TestMedia.Milliseconds(i * 20L));
            RtcpReportWriter.WriteReceiverReport(buffer, 0x5F0, blocks, Cname);
        });
        Assert.Equal(0, allocated);
        Assert.Equal(128, blocks[0].FractionLost); // every other packet missing
    }

    [Fact]
    public void WriteSenderReportAndRoundTripAllocateNothing()
    {
        var stats = new RtpSendStatistics();
        var buffer = new byte[256];
        var timer = new RtcpIntervalTimer(TimeSpan.FromSeconds(1), new Random(3));
        ulong ntp0 = NtpTime.FromDateTime(new DateTime(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc));
        int written = 0;
        bool measured = false;
        long allocated = Measure(i =>
        {
            long now = T0 + TestMedia.Milliseconds(i * 10L);
            ulong ntpNow = ntp0 + ((ulong)i << 26); // 1/64 s per step
            stats.OnPacketSent((uint)i * 900, 1100, now);
            if (timer.IsDue(now))
            {
                timer.Reset(now);
            }
            written = stats.WriteSenderReport(buffer, 0xCAFE, ntpNow, now, 90000, Cname);
            var block = new RtcpReportBlock(0xCAFE, 0, 0, 0, 0, NtpTime.ToCompact(ntpNow), 100);
            measured = stats.TryComputeRoundTrip(block, ntpNow + (1UL << 28), out _);
        });
        Assert.Equal(0, allocated);
        Assert.True(written > 0);
        Assert.True(measured);
    }
}
