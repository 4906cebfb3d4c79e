using System.Text;
using MediaRelay.Rtp.Rtcp;
using MediaRelay.Sfu.Rtcp;

namespace MediaRelay.Sfu.Tests.Rtcp;

public class RtcpReportWriterTests
{
    private const uint SfuSsrc = 0x5F0;
    private static readonly byte[] Cname = Encoding.ASCII.GetBytes("sfu");

    [Fact]
    public void ReceiverReportAndCnameParseBack()
    {
        var blocks = new[]
        {
            new RtcpReportBlock(0x1111, 25, 10, 0x10009, 240, 0xAABBCCDD, 98304),
            new RtcpReportBlock(0x2222, 0, -3, 77, 0, 0, 0),
        };
        var buffer = new byte[256];

        int length = RtcpReportWriter.WriteReceiverReport(buffer, SfuSsrc, blocks, Cname);

        Assert.Equal(RtcpReportWriter.GetReceiverReportLength(2, Cname.Length), length);
        var reader = new RtcpCompoundReader(buffer.AsSpan(0, length));
        Assert.True(reader.TryReadNext(out RtcpPacketView first));
        Assert.True(RtcpReceiverReport.TryParse(first.Buffer, out RtcpReceiverReport rr));
        Assert.Equal(SfuSsrc, rr.Ssrc);
        Assert.Equal(2, rr.ReportCount);
        Assert.Equal(blocks[0], rr.GetReportBlock(0));
        Assert.Equal(blocks[1], rr.GetReportBlock(1));
        Assert.True(reader.TryReadNext(out RtcpPacketView second));
        Assert.True(RtcpSdes.TryParse(second.Buffer, out RtcpSdes sdes));
        Assert.True(sdes.TryGetCname(out uint ssrc, out ReadOnlySpan<byte> cname));
        Assert.Equal(SfuSsrc, ssrc);
        Assert.True(cname.SequenceEqual(Cname));
        Assert.False(reader.TryReadNext(out _));
        Assert.False(reader.IsMalformed);
    }

    [Fact]
    public void EmptyReceiverReportIsValid()
    {
        var buffer = new byte[64];
        int length = RtcpReportWriter.WriteReceiverReport(buffer, SfuSsrc, default, Cname);
        Assert.Equal(8 + 16, length);
        var reader = new RtcpCompoundReader(buffer.AsSpan(0, length));
        Assert.True(reader.TryReadNext(out RtcpPacketView rr));
        Assert.Equal(RtcpPacketType.ReceiverReport, rr.PacketType);
        Assert.True(reader.TryReadNext(out _));
        Assert.False(reader.IsMalformed);
    }

    [Fact]
    public void WritesNothingWhenItDoesNotFit()
    {
        var blocks = new RtcpReportBlock[1];
        var small = new byte[RtcpReportWriter.GetReceiverReportLength(1, Cname.Length) - 1];
        Assert.Equal(0, RtcpReportWriter.WriteReceiverReport(small, SfuSsrc, blocks, Cname));
        Assert.All(small, b => Assert.Equal(0, b));
        Assert.Equal(0, RtcpReportWriter.WriteReceiverReport(new byte[2048], SfuSsrc, new RtcpReportBlock[32], Cname));
        Assert.Equal(0, RtcpReportWriter.WriteReceiverReport(new byte[2048], SfuSsrc, blocks, new byte[256]));
    }
}
