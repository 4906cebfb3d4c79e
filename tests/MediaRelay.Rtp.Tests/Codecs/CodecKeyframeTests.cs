using MediaRelay.Rtp.Codecs;

namespace MediaRelay.Rtp.Tests.Codecs;

public class CodecKeyframeTests
{
    [Theory]
    [InlineData("10 50 9d 01 2a", true)]   // S=1 PID=0, P=0
    [InlineData("10 51 9d 01 2a", false)]  // P=1: interframe
    [InlineData("00 50", false)]           // not start of partition
    [InlineData("11 50", false)]           // partition 1
    [InlineData("10", false)]              // no payload header
    [InlineData("90 f0 81 23 05 a3 00", true)]
    [InlineData("90 80 05 00", true)]      // 7-bit picture id
    [InlineData("90 80", false)]           // truncated picture id
    [InlineData("", false)]
    public void Vp8Keyframes(string hex, bool expected)
    {
        Assert.Equal(expected, Vp8PayloadDescriptor.IsKeyframe(Hex.Bytes(hex)));
    }

    [Fact]
    public void Vp8ParsesAllFields()
    {
        byte[] payload = Hex.Bytes("b0 f0 81 23 05 a3 00");
        Assert.True(Vp8PayloadDescriptor.TryParse(payload, out var d));
        Assert.Equal(6, d.Length);
        Assert.True(d.Extended);
        Assert.True(d.NonReference);
        Assert.True(d.StartOfPartition);
        Assert.Equal(0, d.PartitionIndex);
        Assert.Equal(0x0123, d.PictureId);
        Assert.True(d.HasLongPictureId);
        Assert.Equal(5, d.Tl0PicIdx);
        Assert.Equal(2, d.TemporalLayerId);
        Assert.True(d.LayerSync);
        Assert.Equal(3, d.KeyIndex);

        Assert.True(d.TrySetPictureId(payload, 0x7abc));
        Assert.True(d.TrySetTl0PicIdx(payload, 9));
        Assert.True(Vp8PayloadDescriptor.TryParse(payload, out d));
        Assert.Equal(0x7abc, d.PictureId);
        Assert.Equal(9, d.Tl0PicIdx);

        Assert.True(Vp8PayloadDescriptor.TryParse(Hex.Bytes("10 50"), out d));
        Assert.Equal(1, d.Length);
        Assert.Equal(-1, d.PictureId);
        Assert.Equal(-1, d.Tl0PicIdx);
        Assert.Equal(-1, d.TemporalLayerId);
        Assert.Equal(-1, d.KeyIndex);
        Assert.False(d.TrySetPictureId(payload, 1));
    }

    [Theory]
    [InlineData("65 88 84", true)]                                     // IDR
    [InlineData("67 42 c0 1f", true)]                                  // SPS
    [InlineData("41 9a", false)]                                       // non-IDR slice
    [InlineData("68 ce", false)]                                       // PPS alone
    [InlineData("78 00 02 67 42 00 02 68 ce 00 03 65 88 84", true)]    // STAP-A SPS+PPS+IDR
    [InlineData("78 00 02 68 ce 00 03 65 88 84", true)]                // STAP-A PPS+IDR
    [InlineData("78 00 02 41 9a", false)]
    [InlineData("78 00 05 67", false)]                                 // size past end
    [InlineData("78 00 00 67", false)]                                 // zero size
    [InlineData("7c 85 88", true)]                                     // FU-A start of IDR
    [InlineData("7c 05 88", false)]                                    // FU-A continuation
    [InlineData("7c 81 9a", false)]                                    // FU-A start of non-IDR
    [InlineData("7c", false)]
    [InlineData("", false)]
    public void H264Keyframes(string hex, bool expected)
    {
        Assert.Equal(expected, H264Packetization.IsKeyframe(Hex.Bytes(hex)));
    }

    [Theory]
    [InlineData("a8 85 00 00 07 aa", true)]     // non-flexible, P=0, B=1, SID 0
    [InlineData("a8 85 00 02 07 aa", false)]    // SID 1
    [InlineData("e8 85 00 00 07 aa", false)]    // P=1
    [InlineData("a0 85 00 00 07 aa", false)]    // B=0
    [InlineData("88 05 aa", true)]              // no layer indices
    [InlineData("8a 01 38 01 40 00 b4 00 a0 00 5a 01 04 01 aa", true)] // with SS
    [InlineData("8a 01 38 01 40 00 b4", false)] // truncated SS
    [InlineData("a8 85", false)]
    [InlineData("", false)]
    public void Vp9Keyframes(string hex, bool expected)
    {
        Assert.Equal(expected, Vp9PayloadDescriptor.IsKeyframe(Hex.Bytes(hex)));
    }

    [Fact]
    public void Vp9ParsesFlexibleMode()
    {
        Assert.True(Vp9PayloadDescriptor.TryParse(Hex.Bytes("f8 12 20 03 04 aa"), out var d));
        Assert.Equal(5, d.Length);
        Assert.True(d.FlexibleMode);
        Assert.True(d.InterPicturePredicted);
        Assert.Equal(0x12, d.PictureId);
        Assert.Equal(1, d.TemporalLayerId);
        Assert.Equal(0, d.SpatialLayerId);
        Assert.Equal(-1, d.Tl0PicIdx);

        Assert.True(Vp9PayloadDescriptor.TryParse(Hex.Bytes("8a 01 38 01 40 00 b4 00 a0 00 5a 01 04 01 aa"), out d));
        Assert.Equal(14, d.Length);
        Assert.True(d.HasScalabilityStructure);

        // Four chained P_DIFFs is one too many.
        Assert.False(Vp9PayloadDescriptor.TryParse(Hex.Bytes("f8 12 20 03 03 03 03 aa"), out _));
    }
}
