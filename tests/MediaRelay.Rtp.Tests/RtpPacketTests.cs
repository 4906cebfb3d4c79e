namespace MediaRelay.Rtp.Tests;

public class RtpPacketTests
{
    // V=2, M=1, PT=96, seq 0x1234, ts 0xdeadbeef, ssrc 0xcafebabe, 4-byte payload.
    private static byte[] Simple() => Hex.Bytes("80 e0 12 34 | de ad be ef | ca fe ba be | 01 02 03 04");

    [Fact]
    public void ParsesFixedHeader()
    {
        byte[] bytes = Simple();
        Assert.True(RtpPacket.TryParse(bytes, out var p));
        Assert.Equal(2, p.Version);
        Assert.True(p.Marker);
        Assert.Equal(96, p.PayloadType);
        Assert.Equal(0x1234, p.SequenceNumber);
        Assert.Equal(0xdeadbeefu, p.Timestamp);
        Assert.Equal(0xcafebabeu, p.Ssrc);
        Assert.Equal(0, p.CsrcCount);
        Assert.False(p.HasExtension);
        Assert.Equal(0, p.ExtensionProfile);
        Assert.Equal(12, p.HeaderLength);
        Assert.Equal(4, p.PayloadLength);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, p.Payload.ToArray());
        Assert.Equal(16, p.Length);
        Assert.False(p.TryGetExtension(1, out _));
    }

    [Fact]
    public void SettersRewriteInPlace()
    {
        byte[] bytes = Simple();
        Assert.True(RtpPacket.TryParse(bytes, out var p));
        p.Marker = false;
        p.PayloadType = 111;
        p.SequenceNumber = 0xfffe;
        p.Timestamp = 0x01020304;
        p.Ssrc = 0x11223344;
        Assert.Equal(Hex.Bytes("80 6f ff fe 01 02 03 04 11 22 33 44 01 02 03 04"), bytes);
        p.Marker = true;
        Assert.Equal(0xef, bytes[1]);
        Assert.Equal(111, p.PayloadType);
    }

    [Fact]
    public void CsrcsAndPadding()
    {
        // CC=2, P=1: two CSRCs, payload "aa bb", 3 padding bytes (count 3).
        byte[] bytes = Hex.Bytes("a2 60 00 01 | 00 00 00 10 | 00 00 00 20 | 00 00 00 01 | 00 00 00 02 | aa bb | 00 00 03");
        Assert.True(RtpPacket.TryParse(bytes, out var p));
        Assert.Equal(2, p.CsrcCount);
        Assert.Equal(1u, p.GetCsrc(0));
        Assert.Equal(2u, p.GetCsrc(1));
        Assert.Equal(20, p.HeaderLength);
        Assert.Equal(3, p.PaddingLength);
        Assert.Equal(new byte[] { 0xaa, 0xbb }, p.Payload.ToArray());
    }

    [Theory]
    [InlineData("40 60 00 01 00 00 00 10 00 00 00 20")] // version 1
    [InlineData("80 60 00 01 00 00 00 10 00 00 00")] // 11 bytes
    [InlineData("81 60 00 01 00 00 00 10 00 00 00 20")] // CC=1 but no CSRC
    [InlineData("90 60 00 01 00 00 00 10 00 00 00 20 be de")] // X without extension header
    [InlineData("90 60 00 01 00 00 00 10 00 00 00 20 be de 00 02 10 aa 00 00")] // extension length beyond buffer
    [InlineData("a0 60 00 01 00 00 00 10 00 00 00 20 aa 00")] // padding count 0
    [InlineData("a0 60 00 01 00 00 00 10 00 00 00 20 aa 03")] // padding beyond payload
    public void RejectsMalformed(string hex)
    {
        Assert.False(RtpPacket.TryParse(Hex.Bytes(hex), out _));
    }

    [Fact]
    public void PaddingMayFillWholePayload()
    {
        Assert.True(RtpPacket.TryParse(Hex.Bytes("a0 60 00 01 00 00 00 10 00 00 00 20 00 02"), out var p));
        Assert.Equal(0, p.PayloadLength);
    }

    // RFC 8285 §4.2 figure: ID=1 L=0 (1 byte), ID=2 L=1 (2 bytes), two padding bytes, ID=3 L=3 (4 bytes).
    private static byte[] OneByteExample() => Hex.Bytes(
        "90 6f 00 01 00 00 00 10 00 00 00 20 | be de 00 03 | 10 aa 21 bb | bb 00 00 33 | cc cc cc cc | ff ff");

    [Fact]
    public void OneByteExtensionsRfc8285Example()
    {
        byte[] bytes = OneByteExample();
        Assert.True(RtpPacket.TryParse(bytes, out var p));
        Assert.True(p.HasExtension);
        Assert.Equal(0xBEDE, p.ExtensionProfile);
        Assert.Equal(28, p.HeaderLength);
        Assert.Equal(2, p.PayloadLength);

        Assert.True(p.TryGetExtension(1, out var v1));
        Assert.Equal(new byte[] { 0xaa }, v1.ToArray());
        Assert.True(p.TryGetExtension(2, out var v2));
        Assert.Equal(new byte[] { 0xbb, 0xbb }, v2.ToArray());
        Assert.True(p.TryGetExtension(3, out var v3));
        Assert.Equal(new byte[] { 0xcc, 0xcc, 0xcc, 0xcc }, v3.ToArray());
        Assert.False(p.TryGetExtension(4, out _));
        Assert.False(p.TryGetExtension(0, out _));
        Assert.False(p.TryGetExtension(15, out _));
    }

    [Fact]
    public void OneByteId15StopsParsing()
    {
        byte[] bytes = Hex.Bytes("90 6f 00 01 00 00 00 10 00 00 00 20 | be de 00 02 | 10 aa f0 00 | 20 bb 00 00");
        Assert.True(RtpPacket.TryParse(bytes, out var p));
        Assert.True(p.TryGetExtension(1, out _));
        Assert.False(p.TryGetExtension(2, out _));
    }

    [Fact]
    public void OneByteElementRunningPastBlockIsNotReturned()
    {
        byte[] bytes = Hex.Bytes("90 6f 00 01 00 00 00 10 00 00 00 20 | be de 00 01 | 10 aa 23 bb");
        Assert.True(RtpPacket.TryParse(bytes, out var p));
        Assert.True(p.TryGetExtension(1, out _));
        Assert.False(p.TryGetExtension(2, out _));
    }

    // RFC 8285 §4.3 figure: ID=1 L=0, ID=2 L=1, one padding byte, ID=3 L=4.
    [Fact]
    public void TwoByteExtensionsRfc8285Example()
    {
        byte[] bytes = Hex.Bytes(
            "90 6f 00 01 00 00 00 10 00 00 00 20 | 10 00 00 03 | 01 00 02 01 | bb 00 03 04 | cc cc cc cc");
        Assert.True(RtpPacket.TryParse(bytes, out var p));
        Assert.Equal(0x1000, p.ExtensionProfile);
        Assert.True(p.TryGetExtension(1, out var v1));
        Assert.Equal(0, v1.Length);
        Assert.True(p.TryGetExtension(2, out var v2));
        Assert.Equal(new byte[] { 0xbb }, v2.ToArray());
        Assert.True(p.TryGetExtension(3, out var v3));
        Assert.Equal(new byte[] { 0xcc, 0xcc, 0xcc, 0xcc }, v3.ToArray());
        Assert.False(p.TryGetExtension(4, out _));
        Assert.Equal(0, p.PayloadLength);
    }

    [Fact]
    public void WritableExtensionRewritesInPlace()
    {
        byte[] bytes = OneByteExample();
        Assert.True(RtpPacket.TryParse(bytes, out var p));
        Assert.True(p.TryGetWritableExtension(2, out var v));
        v[0] = 0x12;
        v[1] = 0x34;
        Assert.Equal(0x12, bytes[19]);
        Assert.Equal(0x34, bytes[20]);
    }

    [Fact]
    public void UnknownProfileHasNoElements()
    {
        byte[] bytes = Hex.Bytes("90 6f 00 01 00 00 00 10 00 00 00 20 | ab cd 00 01 | 10 aa 00 00");
        Assert.True(RtpPacket.TryParse(bytes, out var p));
        Assert.Equal(0xabcd, p.ExtensionProfile);
        Assert.False(p.TryGetExtension(1, out _));
        Assert.Equal(4, p.ExtensionData.Length);
    }

    [Theory]
    [InlineData(0xc8, true)] // SR
    [InlineData(0xc9, true)] // RR
    [InlineData(0xcd, true)] // RTPFB
    [InlineData(0xce, true)] // PSFB
    [InlineData(0xc0, true)]
    [InlineData(0xdf, true)]
    [InlineData(0xe0, false)] // marker + PT 96
    [InlineData(0x6f, false)] // PT 111
    [InlineData(0xbf, false)]
    public void RtcpMuxDemux(byte secondByte, bool isRtcp)
    {
        Assert.Equal(isRtcp, RtpPacket.LooksLikeRtcp(new byte[] { 0x80, secondByte, 0, 1 }));
    }

    [Fact]
    public void RtcpDemuxNeedsTwoBytes() => Assert.False(RtpPacket.LooksLikeRtcp(new byte[] { 0x80 }));
}
