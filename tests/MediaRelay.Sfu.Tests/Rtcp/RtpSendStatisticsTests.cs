using System.Text;
using MediaRelay.Rtp.Rtcp;
using MediaRelay.Sfu.Rtcp;

namespace MediaRelay.Sfu.Tests.Rtcp;

public class RtpSendStatisticsTests
{
    private const uint ConsumerSsrc = 0xCAFEBABE;
    private static readonly long T0 = TestMedia.T0;
    private static readonly byte[] Cname = Encoding.ASCII.GetBytes("mediarelay-sfu");
    private static readonly ulong Ntp0 = NtpTime.FromDateTime(new DateTime(2025, 6, 1, 8, 30, 0, DateTimeKind.Utc));

    private static long Ms(long ms) => TestMedia.Milliseconds(ms);

    private static ulong NtpPlus(long ms) => Ntp0 + (ulong)((UInt128)(ulong)ms * (1UL << 32) / 1000);

    private static RtcpSenderReport ParseSenderReport(byte[] buffer, int length)
    {
        Assert.True(RtcpSenderReport.TryParse(buffer.AsSpan(0, length), out RtcpSenderReport sr));
        return sr;
    }

    [Theory]
    [InlineData(90000, 100, 9000u)]
    [InlineData(90000, 1000, 90000u)]
    [InlineData(48000, 20, 960u)]
    [InlineData(48000, 2500, 120000u)]
    public void SenderReportTimestampIsExtrapolatedToNow(int clockRate, int elapsedMs, uint expectedAdvance)
    {
        var stats = new RtpSendStatistics();
        stats.OnPacketSent(1_000_000, 1000, T0);
        var buffer = new byte[256];

        int length = stats.WriteSenderReport(buffer, ConsumerSsrc, NtpPlus(elapsedMs), T0 + Ms(elapsedMs), clockRate, Cname);

        RtcpSenderReport sr = ParseSenderReport(buffer, length);
        Assert.Equal(1_000_000u + expectedAdvance, sr.RtpTimestamp);
        Assert.Equal(NtpPlus(elapsedMs), sr.NtpTimestamp);
        Assert.Equal(ConsumerSsrc, sr.Ssrc);
        Assert.Equal(0, sr.ReportCount);
    }

    [Fact]
    public void ExtrapolationAnchorsOnTheFirstPacketOfTheNewestFrame()
    {
        var stats = new RtpSendStatistics();
        stats.OnPacketSent(3000, 1100, T0);            // frame 1, three packets paced out
        stats.OnPacketSent(3000, 1100, T0 + Ms(4));
        stats.OnPacketSent(3000, 500, T0 + Ms(8));
        stats.OnPacketSent(6000, 1100, T0 + Ms(33));   // frame 2
        stats.OnPacketSent(6000, 700, T0 + Ms(37));
        stats.OnPacketSent(3000, 1100, T0 + Ms(40));   // a late resend of frame 1 does not move the anchor

        Assert.Equal(6000u, stats.LastRtpTimestamp);
        Assert.Equal(6000u + (67 * 90), stats.ExtrapolateRtpTimestamp(T0 + Ms(100), 90000));
        Assert.Equal(6, stats.PacketsSent);
        Assert.Equal(5600, stats.OctetsSent);

        var buffer = new byte[256];
        int length = stats.WriteSenderReport(buffer, ConsumerSsrc, Ntp0, T0 + Ms(100), 90000, Cname);
        RtcpSenderReport sr = ParseSenderReport(buffer, length);
        Assert.Equal(6u, sr.PacketCount);
        Assert.Equal(5600u, sr.OctetCount);
        Assert.Equal(6000u + 6030, sr.RtpTimestamp);
    }

    [Fact]
    public void ExtrapolationWrapsTheRtpTimestamp()
    {
        var stats = new RtpSendStatistics();
        stats.OnPacketSent(0xFFFF_FF00, 100, T0);
        stats.OnPacketSent(0x0000_0100, 100, T0 + Ms(10)); // newer across the wrap: 0x200 units later
        Assert.Equal(0x100u, stats.LastRtpTimestamp);
        Assert.Equal(0x100u + 4800, stats.ExtrapolateRtpTimestamp(T0 + Ms(110), 48000));
    }

    [Fact]
    public void CompoundIsSenderReportThenSourceDescriptionWithCname()
    {
        var stats = new RtpSendStatistics();
        for (int i = 0; i < 50; i++)
        {
            stats.OnPacketSent((uint)i * 960, 80, T0 + Ms(20L * i));
        }
        var buffer = new byte[512];

        int length = stats.WriteSenderReport(buffer, ConsumerSsrc, Ntp0, T0 + Ms(1000), 48000, Cname);

        Assert.Equal(RtcpSenderReport.MinimumLength + RtcpSdes.GetCnameLength(Cname.Length), length);
        Assert.Equal(0, length % 4);
        var reader = new RtcpCompoundReader(buffer.AsSpan(0, length));

        Assert.True(reader.TryReadNext(out RtcpPacketView first));
        Assert.Equal(RtcpPacketType.SenderReport, first.PacketType);
        Assert.True(RtcpSenderReport.TryParse(first.Buffer, out RtcpSenderReport sr));
        Assert.Equal(ConsumerSsrc, sr.Ssrc);
        Assert.Equal(Ntp0, sr.NtpTimestamp);
        Assert.Equal(49u * 960 + 960, sr.RtpTimestamp); // last packet at 980 ms, SR at 1000 ms
        Assert.Equal(50u, sr.PacketCount);
        Assert.Equal(4000u, sr.OctetCount);

        Assert.True(reader.TryReadNext(out RtcpPacketView second));
        Assert.Equal(RtcpPacketType.SourceDescription, second.PacketType);
        Assert.True(RtcpSdes.TryParse(second.Buffer, out RtcpSdes sdes));
        Assert.True(sdes.TryGetCname(out uint cnameSsrc, out ReadOnlySpan<byte> cname));
        Assert.Equal(ConsumerSsrc, cnameSsrc);
        Assert.Equal("mediarelay-sfu", Encoding.ASCII.GetString(cname));

        Assert.False(reader.TryReadNext(out _));
        Assert.False(reader.IsMalformed);
        Assert.Equal(length, reader.Offset);
    }

    [Fact]
    public void WritesNothingWhenThereIsNothingToReportOrNoRoom()
    {
        var stats = new RtpSendStatistics();
        var buffer = new byte[256];
        Assert.Equal(0, stats.WriteSenderReport(buffer, ConsumerSsrc, Ntp0, T0, 90000, Cname)); // nothing sent

        stats.OnPacketSent(0, 100, T0);
        int needed = RtcpSenderReport.MinimumLength + RtcpSdes.GetCnameLength(Cname.Length);
        var small = new byte[needed - 1];
        Assert.Equal(0, stats.WriteSenderReport(small, ConsumerSsrc, Ntp0, T0, 90000, Cname));
        Assert.All(small, b => Assert.Equal(0, b));
        Assert.Equal(0, stats.WriteSenderReport(buffer, ConsumerSsrc, Ntp0, T0, 0, Cname));
        Assert.Equal(0, stats.WriteSenderReport(buffer, ConsumerSsrc, Ntp0, T0, 90000, new byte[256]));
        Assert.Equal(needed, stats.WriteSenderReport(new byte[needed], ConsumerSsrc, Ntp0, T0, 90000, Cname));
    }

    /// <summary>
    /// Full loop: our SR reaches the subscriber after 75 ms, it answers 40 ms later with a report block built by
    /// <see cref="RtpReceiveStatistics"/>, which takes 75 ms back: RTT = A - LSR - DLSR = 150 ms.
    /// </summary>
    [Theory]
    [InlineData(75, 40, 75)]
    [InlineData(10, 900, 140)]
    [InlineData(0, 0, 0)]
    public void RoundTripFromTheReturnedReportBlock(int forwardMs, int holdMs, int backMs)
    {
        var sender = new RtpSendStatistics();
        sender.OnPacketSent(0, 1000, T0);
        var buffer = new byte[256];
        int length = sender.WriteSenderReport(buffer, ConsumerSsrc, Ntp0, T0, 90000, Cname);
        RtcpSenderReport sr = ParseSenderReport(buffer, length);

        // The subscriber runs its own monotonic clock; only LSR and DLSR cross the wire.
        long remoteT0 = 12_345 * TestMedia.Milliseconds(1000);
        var receiver = new RtpReceiveStatistics();
        receiver.OnPacket(1, 0, 90000, remoteT0);
        receiver.OnSenderReport(sr.NtpTimestamp, remoteT0 + Ms(forwardMs));
        RtcpReportBlock block = receiver.BuildReportBlock(ConsumerSsrc, remoteT0 + Ms(forwardMs + holdMs));

        Assert.True(sender.TryComputeRoundTrip(block, NtpPlus(forwardMs + holdMs + backMs), out TimeSpan rtt));
        double expectedMs = forwardMs + backMs;
        Assert.InRange(rtt.TotalMilliseconds, Math.Max(0, expectedMs - 0.1), expectedMs + 0.1);
        Assert.True(sender.HasRoundTrip);
        Assert.Equal(rtt, sender.LastRoundTrip);
    }

    [Fact]
    public void RoundTripNeedsAnEchoOfOneOfOurSenderReports()
    {
        var sender = new RtpSendStatistics();
        sender.OnPacketSent(0, 1000, T0);
        var buffer = new byte[256];
        uint lsr = NtpTime.ToCompact(Ntp0);

        // Nothing sent yet with that NTP time.
        var early = new RtcpReportBlock(ConsumerSsrc, 0, 0, 1, 0, lsr, 0);
        Assert.False(sender.TryComputeRoundTrip(early, NtpPlus(100), out _));

        sender.WriteSenderReport(buffer, ConsumerSsrc, Ntp0, T0, 90000, Cname);
        Assert.True(sender.TryComputeRoundTrip(early, NtpPlus(100), out TimeSpan first));
        Assert.InRange(first.TotalMilliseconds, 99.9, 100.1);

        // LSR 0 (receiver saw no SR) and an unknown LSR leave the last RTT alone.
        Assert.False(sender.TryComputeRoundTrip(early with { LastSenderReport = 0 }, NtpPlus(300), out _));
        Assert.False(sender.TryComputeRoundTrip(early with { LastSenderReport = lsr + 1234 }, NtpPlus(300), out _));
        // A DLSR larger than the elapsed time (broken receiver clock) gives no RTT...
        Assert.False(sender.TryComputeRoundTrip(early with { DelaySinceLastSenderReport = 65536 }, NtpPlus(500), out _));
        Assert.Equal(first, sender.LastRoundTrip);
        // ...but rounding by a few units reads as 0.
        Assert.True(sender.TryComputeRoundTrip(early with { DelaySinceLastSenderReport = 6554 + 3 }, NtpPlus(100), out TimeSpan zero));
        Assert.Equal(TimeSpan.Zero, zero);

        // Older SRs still in the history are recognised.
        for (int i = 1; i <= 3; i++)
        {
            sender.WriteSenderReport(buffer, ConsumerSsrc, NtpPlus(1000L * i), T0 + Ms(1000L * i), 90000, Cname);
        }
        Assert.True(sender.TryComputeRoundTrip(early, NtpPlus(4000), out TimeSpan old));
        Assert.InRange(old.TotalSeconds, 3.99, 4.01);
    }
}
