namespace MediaRelay.Rtp.Tests;

public class RtpHeaderWriterTests
{
    [Fact]
    public void WritesGoldenFixedHeader()
    {
        byte[] buf = new byte[12];
        Assert.Equal(12, RtpHeaderWriter.Write(buf, true, 96, 0x1234, 0xdeadbeef, 0xcafebabe));
        Assert.Equal(Hex.Bytes("80 e0 12 34 de ad be ef ca fe ba be"), buf);
        Assert.Equal(0, RtpHeaderWriter.Write(new byte[11], true, 96, 1, 1, 1));
    }

    [Fact]
    public void ExtensionsRoundTripWithPadding()
    {
        byte[] buf = new byte[64];
        int n = RtpHeaderWriter.Write(buf, false, 111, 7, 960, 42);
        var ext = new RtpExtensionWriter(buf, n);
        Assert.True(ext.TryAdd(1, new byte[] { 0x85 }));             // audio level
        Assert.True(ext.TryAdd(3, new byte[] { 0x12, 0x34, 0x56 })); // abs-send-time
        Assert.True(ext.TryAdd(5, new byte[] { 0x00, 0x07 }));       // transport-cc
        Assert.Equal(3, ext.Count);
        int header = ext.End();
        // 2 + 4 + 3 = 9 element bytes, padded to 12.
        Assert.Equal(12 + 4 + 12, header);
        Assert.Equal(Hex.Bytes("90 6f 00 07 00 00 03 c0 00 00 00 2a | be de 00 03 | 10 85 32 12 | 34 56 51 00 | 07 00 00 00"),
            buf.AsSpan(0, header).ToArray());

        buf[header] = 0x99; // one payload byte
        Assert.True(RtpPacket.TryParse(buf.AsSpan(0, header + 1), out var p));
        Assert.Equal(header, p.HeaderLength);
        Assert.True(p.TryGetExtension(1, out var level));
        Assert.True(AudioLevel.TryParse(level, out var al));
        Assert.True(al.VoiceActivity);
        Assert.Equal(5, al.Level);
        Assert.True(p.TryGetExtension(5, out var tcc));
        Assert.Equal(new byte[] { 0, 7 }, tcc.ToArray());
        Assert.Equal(0x99, p.Payload[0]);
    }

    [Fact]
    public void AlignedElementsNeedNoPadding()
    {
        byte[] buf = new byte[32];
        int n = RtpHeaderWriter.Write(buf, false, 96, 1, 2, 3);
        var ext = new RtpExtensionWriter(buf, n);
        Assert.True(ext.TryAdd(2, new byte[] { 1, 2, 3 }));
        Assert.Equal(20, ext.End());
    }

    [Fact]
    public void NoElementsLeavesPlainHeader()
    {
        byte[] buf = new byte[32];
        int n = RtpHeaderWriter.Write(buf, false, 96, 1, 2, 3);
        var ext = new RtpExtensionWriter(buf, n);
        Assert.Equal(12, ext.End());
        Assert.Equal(0x80, buf[0]);
    }

    [Fact]
    public void RejectsBadElements()
    {
        byte[] buf = new byte[24];
        int n = RtpHeaderWriter.Write(buf, false, 96, 1, 2, 3);
        var ext = new RtpExtensionWriter(buf, n);
        Assert.False(ext.TryAdd(0, new byte[] { 1 }));
        Assert.False(ext.TryAdd(15, new byte[] { 1 }));
        Assert.False(ext.TryAdd(1, ReadOnlySpan<byte>.Empty));
        Assert.False(ext.TryAdd(1, new byte[17]));
        Assert.True(ext.TryAdd(1, new byte[4]));  // 16 + 5 + 3 pad <= 24
        Assert.False(ext.TryAdd(2, new byte[1])); // no room left
        Assert.Equal(24, ext.End());
    }

    [Fact]
    public void AcceptsStackAllocatedValues()
    {
        Span<byte> buf = stackalloc byte[32];
        Span<byte> level = stackalloc byte[1];
        level[0] = new AudioLevel(false, 40).ToByte();
        int n = RtpHeaderWriter.Write(buf, false, 111, 1, 2, 3);
        var ext = new RtpExtensionWriter(buf, n);
        Assert.True(ext.TryAdd(1, level));
        Assert.Equal(20, ext.End());
        Assert.True(RtpPacket.TryParse(buf.Slice(0, 20), out var p));
        Assert.True(p.TryGetExtension(1, out var v));
        Assert.Equal(40, AudioLevel.Parse(v[0]).Level);
    }

    [Fact]
    public void AudioLevelByte()
    {
        var level = AudioLevel.Parse(0x7f);
        Assert.False(level.VoiceActivity);
        Assert.Equal(AudioLevel.Silence, level.Level);
        Assert.Equal(0xa0, new AudioLevel(true, 32).ToByte());
        Assert.False(AudioLevel.TryParse(ReadOnlySpan<byte>.Empty, out _));
    }
}
