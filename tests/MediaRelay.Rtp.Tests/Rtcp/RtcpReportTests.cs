using MediaRelay.Rtp.Rtcp;

namespace MediaRelay.Rtp.Tests.Rtcp;

public class RtcpReportTests
{
    private static readonly RtcpReportBlock Block = new(0x01020304, 0x40, -3, 0x0001ffff, 77, 0x11112222, 0x00010000);

    [Fact]
    public void SenderReportGoldenBytes()
    {
        byte[] expected = Hex.Bytes(
            "80 c8 00 06 | 12 34 56 78 | 83 aa 7e 80 80 00 00 00 | 00 00 03 e8 | 00 00 00 0a | 00 00 04 b0");
        byte[] buf = new byte[64];
        int n = RtcpSenderReport.Write(buf, 0x12345678, 0x83aa7e8080000000, 1000, 10, 1200);
        Assert.Equal(expected, buf.AsSpan(0, n).ToArray());

        Assert.True(RtcpSenderReport.TryParse(expected, out var sr));
        Assert.Equal(0x12345678u, sr.Ssrc);
        Assert.Equal(0x83aa7e8080000000ul, sr.NtpTimestamp);
        Assert.Equal(1000u, sr.RtpTimestamp);
        Assert.Equal(10u, sr.PacketCount);
        Assert.Equal(1200u, sr.OctetCount);
        Assert.Equal(0, sr.ReportCount);
    }

    [Fact]
    public void ReportBlockGoldenBytesAndSignedLoss()
    {
        byte[] buf = new byte[24];
        Assert.Equal(24, Block.Write(buf));
        Assert.Equal(Hex.Bytes("01 02 03 04 | 40 ff ff fd | 00 01 ff ff | 00 00 00 4d | 11 11 22 22 | 00 01 00 00"), buf);
        Assert.True(RtcpReportBlock.TryRead(buf, out var read));
        Assert.Equal(Block, read);
        Assert.False(RtcpReportBlock.TryRead(buf.AsSpan(0, 23), out _));
    }

    [Theory]
    [InlineData(int.MaxValue, RtcpReportBlock.MaxCumulativeLost)]
    [InlineData(int.MinValue, RtcpReportBlock.MinCumulativeLost)]
    [InlineData(0x123456, 0x123456)]
    [InlineData(-1, -1)]
    public void CumulativeLostClampsTo24Bits(int written, int expected)
    {
        byte[] buf = new byte[24];
        (Block with { CumulativeLost = written }).Write(buf);
        RtcpReportBlock.TryRead(buf, out var read);
        Assert.Equal(expected, read.CumulativeLost);
        Assert.Equal(0x40, read.FractionLost);
    }

    [Fact]
    public void SenderReportWithBlocksRoundTrips()
    {
        var blocks = new[] { Block, Block with { Ssrc = 9, CumulativeLost = 5 } };
        byte[] buf = new byte[128];
        int n = RtcpSenderReport.Write(buf, 1, 2, 3, 4, 5, blocks);
        Assert.Equal(28 + 48, n);
        Assert.Equal(0x82, buf[0]);
        Assert.True(RtcpSenderReport.TryParse(buf.AsSpan(0, n), out var sr));
        Assert.Equal(2, sr.ReportCount);
        Assert.Equal(blocks[0], sr.GetReportBlock(0));
        Assert.Equal(blocks[1], sr.GetReportBlock(1));
        Assert.Equal(0, RtcpSenderReport.Write(new byte[n - 1], 1, 2, 3, 4, 5, blocks));
    }

    [Fact]
    public void ReceiverReportRoundTrips()
    {
        byte[] buf = new byte[64];
        int n = RtcpReceiverReport.Write(buf, 0xaabbccdd, new[] { Block });
        Assert.Equal(32, n);
        Assert.Equal(Hex.Bytes("81 c9 00 07 aa bb cc dd"), buf.AsSpan(0, 8).ToArray());
        Assert.True(RtcpReceiverReport.TryParse(buf.AsSpan(0, n), out var rr));
        Assert.Equal(0xaabbccddu, rr.Ssrc);
        Assert.Equal(1, rr.ReportCount);
        Assert.Equal(Block, rr.GetReportBlock(0));
        rr.Ssrc = 5;
        Assert.Equal(5u, rr.Ssrc);
        Assert.False(RtcpSenderReport.TryParse(buf.AsSpan(0, n), out _));
    }

    [Fact]
    public void EmptyReceiverReportIsEightBytes()
    {
        byte[] buf = new byte[8];
        Assert.Equal(8, RtcpReceiverReport.Write(buf, 1));
        Assert.Equal(Hex.Bytes("80 c9 00 01 00 00 00 01"), buf);
    }

    [Fact]
    public void ReportCountBeyondLengthIsRejected()
    {
        // RC=1 but no block.
        Assert.False(RtcpReceiverReport.TryParse(Hex.Bytes("81 c9 00 01 00 00 00 01"), out _));
        Assert.False(RtcpSenderReport.TryParse(Hex.Bytes("81 c8 00 06 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"), out _));
    }

    [Fact]
    public void NtpTimeConversions()
    {
        ulong epoch = NtpTime.FromDateTime(new DateTime(1970, 1, 1, 0, 0, 0, 500, DateTimeKind.Utc));
        Assert.Equal((2_208_988_800ul << 32) | 0x80000000ul, epoch);
        Assert.Equal(epoch, NtpTime.FromUnixMilliseconds(500));
        Assert.Equal(epoch, NtpTime.FromDateTimeOffset(new DateTimeOffset(1970, 1, 1, 0, 0, 0, 500, TimeSpan.Zero)));
        Assert.Equal(((2_208_988_800u & 0xffffu) << 16) | 0x8000u, NtpTime.ToCompact(epoch));
        Assert.Equal(new DateTime(1970, 1, 1, 0, 0, 0, 500, DateTimeKind.Utc), NtpTime.ToDateTime(epoch));

        var now = new DateTime(2025, 3, 4, 5, 6, 7, DateTimeKind.Utc).AddTicks(1234567);
        Assert.Equal(now, NtpTime.ToDateTime(NtpTime.FromDateTime(now)), TimeSpan.FromTicks(1));

        Assert.Equal(0x00018000u, NtpTime.DurationToCompact(TimeSpan.FromSeconds(1.5)));
        Assert.Equal(TimeSpan.FromSeconds(1.5), NtpTime.CompactToDuration(0x00018000u));
        Assert.Equal(0u, NtpTime.DurationToCompact(TimeSpan.FromSeconds(-1)));
        Assert.Equal(uint.MaxValue, NtpTime.DurationToCompact(TimeSpan.FromDays(1)));
    }
}
