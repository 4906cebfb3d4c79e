using MediaRelay.Rtp.Rtcp;

namespace MediaRelay.Rtp.Tests.Rtcp;

public class RtcpCompoundReaderTests
{
    internal static byte[] BuildCompound()
    {
        byte[] buf = new byte[256];
        int n = RtcpSenderReport.Write(buf, 0x1111, 0x0102030405060708, 90000, 5, 500,
            new[] { new RtcpReportBlock(0x2222, 1, 2, 3, 4, 5, 6) });
        n += RtcpSdes.WriteCname(buf.AsSpan(n), 0x1111, "host@relay");
        n += RtcpNack.Write(buf.AsSpan(n), 0x1111, 0x2222, new ushort[] { 10, 12 });
        n += RtcpPli.Write(buf.AsSpan(n), 0x1111, 0x2222);
        n += RtcpBye.Write(buf.AsSpan(n), 0x1111);
        return buf.AsSpan(0, n).ToArray();
    }

    [Fact]
    public void IteratesCompoundPacket()
    {
        byte[] compound = BuildCompound();
        var reader = new RtcpCompoundReader(compound);
        var types = new List<RtcpPacketType>();
        while (reader.TryReadNext(out var p))
        {
            types.Add(p.PacketType);
            Assert.Equal(0x1111u, p.Ssrc);
            switch (p.PacketType)
            {
                case RtcpPacketType.SenderReport:
                    Assert.True(RtcpSenderReport.TryParse(p.Buffer, out var sr));
                    Assert.Equal(90000u, sr.RtpTimestamp);
                    Assert.Equal(0x2222u, sr.GetReportBlock(0).Ssrc);
                    break;
                case RtcpPacketType.SourceDescription:
                    Assert.True(RtcpSdes.TryParse(p.Buffer, out var sdes));
                    Assert.True(sdes.TryGetCname(out _, out var cname));
                    Assert.Equal(10, cname.Length);
                    break;
                case RtcpPacketType.TransportFeedback:
                    Assert.Equal(RtcpNack.Format, p.Count);
                    Assert.True(RtcpNack.TryParse(p.Buffer, out var nack));
                    Assert.Equal(1, nack.PairCount);
                    break;
                case RtcpPacketType.PayloadFeedback:
                    Assert.True(RtcpPli.TryParse(p.Buffer, out var pli));
                    pli.MediaSsrc = 0x3333; // in-place rewrite reaches the compound buffer
                    break;
            }
        }
        Assert.False(reader.IsMalformed);
        Assert.Equal(compound.Length, reader.Offset);
        Assert.Equal(
            new[] { RtcpPacketType.SenderReport, RtcpPacketType.SourceDescription, RtcpPacketType.TransportFeedback,
                RtcpPacketType.PayloadFeedback, RtcpPacketType.Bye },
            types);
        Assert.Equal(new byte[] { 0, 0, 0x33, 0x33 }, compound.AsSpan(compound.Length - 12, 4).ToArray());
    }

    private static (int Count, bool Malformed) Read(byte[] bytes)
    {
        var reader = new RtcpCompoundReader(bytes);
        int count = 0;
        while (reader.TryReadNext(out _))
        {
            count++;
        }
        Assert.False(reader.TryReadNext(out _));
        return (count, reader.IsMalformed);
    }

    [Fact]
    public void LengthBeyondBufferIsMalformed()
    {
        byte[] bytes = Hex.Bytes("80 c9 00 01 00 00 00 01 | 80 c9 00 05 00 00 00 02");
        Assert.Equal((1, true), Read(bytes));
    }

    [Fact]
    public void ZeroLengthReceiverReportIsMalformed()
    {
        Assert.Equal((0, true), Read(Hex.Bytes("80 c9 00 00 00 00 00 01")));
        Assert.Equal((0, true), Read(Hex.Bytes("81 ce 00 00")));
    }

    [Fact]
    public void WrongVersionIsMalformed()
    {
        Assert.Equal((1, true), Read(Hex.Bytes("80 c9 00 01 00 00 00 01 | 40 c9 00 01 00 00 00 02")));
    }

    [Fact]
    public void EmptyAndTruncatedHeadersAreMalformed()
    {
        Assert.Equal((0, true), Read(Array.Empty<byte>()));
        Assert.Equal((1, true), Read(Hex.Bytes("80 c9 00 01 00 00 00 01 80 c9")));
    }

    [Fact]
    public void PaddingIsValidated()
    {
        // RR + 4 padding bytes (count 4): valid.
        byte[] ok = Hex.Bytes("a0 c9 00 02 00 00 00 01 00 00 00 04");
        var reader = new RtcpCompoundReader(ok);
        Assert.True(reader.TryReadNext(out var p));
        Assert.Equal(4, p.PaddingLength);
        Assert.Equal(4, p.Body.Length);
        Assert.False(reader.IsMalformed);

        Assert.Equal((0, true), Read(Hex.Bytes("a0 c9 00 02 00 00 00 01 00 00 00 00"))); // count 0
        Assert.Equal((0, true), Read(Hex.Bytes("a0 c9 00 02 00 00 00 01 00 00 00 09"))); // beyond packet
        Assert.Equal((0, true), Read(Hex.Bytes("a0 c9 00 02 00 00 00 01 00 00 00 08"))); // eats the SSRC
    }

    [Fact]
    public void CountsBeyondLengthAreMalformed()
    {
        Assert.Equal((0, true), Read(Hex.Bytes("81 c9 00 01 00 00 00 01"))); // RC=1, no block
        Assert.Equal((0, true), Read(Hex.Bytes("82 cb 00 01 00 00 00 01"))); // SC=2, one SSRC
        Assert.Equal((0, true), Read(Hex.Bytes("81 cd 00 01 00 00 00 01"))); // RTPFB without media SSRC
    }

    [Fact]
    public void UnknownTypesPassThrough()
    {
        Assert.Equal((2, false), Read(Hex.Bytes("80 d0 00 00 | 80 c9 00 01 00 00 00 01")));
    }
}
