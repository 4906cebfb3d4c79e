using System.Text;
using MediaRelay.Rtp.Rtcp;

namespace MediaRelay.Rtp.Tests.Rtcp;

public class RtcpSourceDescriptionTests
{
    [Fact]
    public void CnameGoldenBytes()
    {
        // "abc": 4 ssrc + 2 + 3 + 1 null = 10 -> padded to 12; packet 16 bytes, length field 3.
        byte[] buf = new byte[32];
        int n = RtcpSdes.WriteCname(buf, 0x01020304, "abc");
        Assert.Equal(Hex.Bytes("81 ca 00 03 | 01 02 03 04 | 01 03 61 62 | 63 00 00 00"), buf.AsSpan(0, n).ToArray());

        Assert.True(RtcpSdes.TryParse(buf.AsSpan(0, n), out var sdes));
        Assert.Equal(1, sdes.ChunkCount);
        Assert.True(sdes.TryGetCname(out uint ssrc, out var cname));
        Assert.Equal(0x01020304u, ssrc);
        Assert.Equal("abc", Encoding.UTF8.GetString(cname));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(16)]
    [InlineData(255)]
    public void CnameLengthsRoundTrip(int length)
    {
        byte[] name = Encoding.ASCII.GetBytes(new string('x', length));
        byte[] buf = new byte[300];
        int n = RtcpSdes.WriteCname(buf, 7, name);
        Assert.Equal(0, n % 4);
        Assert.Equal(RtcpSdes.GetCnameLength(length), n);
        Assert.True(RtcpSdes.TryParse(buf.AsSpan(0, n), out var sdes));
        Assert.True(sdes.TryGetCname(out _, out var cname));
        Assert.Equal(name, cname.ToArray());
    }

    [Fact]
    public void FindsCnameInSecondChunkAfterOtherItems()
    {
        // Chunk 1: ssrc 1, NAME "z" (type 2), null, pad. Chunk 2: ssrc 2, TOOL "t" (6), CNAME "q", null.
        byte[] bytes = Hex.Bytes("82 ca 00 05 | 00 00 00 01 | 02 01 7a 00 | 00 00 00 02 | 06 01 74 01 | 01 71 00 00");
        Assert.True(RtcpSdes.TryParse(bytes, out var sdes));
        Assert.True(sdes.TryGetCname(out uint ssrc, out var cname));
        Assert.Equal(2u, ssrc);
        Assert.Equal((byte)'q', cname[0]);
    }

    [Fact]
    public void UnterminatedChunkHasNoCname()
    {
        byte[] bytes = Hex.Bytes("81 ca 00 02 | 00 00 00 01 | 02 02 7a 7a");
        Assert.True(RtcpSdes.TryParse(bytes, out var sdes));
        Assert.False(sdes.TryGetCname(out _, out _));
    }

    [Fact]
    public void TooLongCnameIsRefused()
    {
        Assert.Equal(0, RtcpSdes.WriteCname(new byte[400], 1, new byte[256]));
        Assert.Equal(0, RtcpSdes.WriteCname(new byte[400], 1, new string('x', 256)));
        Assert.Equal(0, RtcpSdes.WriteCname(new byte[15], 1, "abc"));
    }

    [Fact]
    public void ByeGoldenBytesAndReason()
    {
        byte[] buf = new byte[32];
        int n = RtcpBye.Write(buf, new uint[] { 0x11111111, 0x22222222 }, "bye"u8);
        Assert.Equal(Hex.Bytes("82 cb 00 03 | 11 11 11 11 | 22 22 22 22 | 03 62 79 65"), buf.AsSpan(0, n).ToArray());
        Assert.True(RtcpBye.TryParse(buf.AsSpan(0, n), out var bye));
        Assert.Equal(2, bye.SourceCount);
        Assert.Equal(0x22222222u, bye.GetSsrc(1));
        Assert.Equal("bye", Encoding.ASCII.GetString(bye.Reason));
        bye.SetSsrc(0, 5);
        Assert.Equal(5u, bye.GetSsrc(0));

        n = RtcpBye.Write(buf, 0xabcdef01);
        Assert.Equal(Hex.Bytes("81 cb 00 01 ab cd ef 01"), buf.AsSpan(0, n).ToArray());
        Assert.True(RtcpBye.TryParse(buf.AsSpan(0, n), out bye));
        Assert.True(bye.Reason.IsEmpty);
    }

    [Fact]
    public void ByeReasonRunningPastPacketIsIgnored()
    {
        Assert.True(RtcpBye.TryParse(Hex.Bytes("81 cb 00 02 00 00 00 01 09 61 62 63"), out var bye));
        Assert.True(bye.Reason.IsEmpty);
        Assert.False(RtcpBye.TryParse(Hex.Bytes("82 cb 00 01 00 00 00 01"), out _));
    }
}
