namespace MediaRelay.Sfu.Tests;

/// <summary>Codec identity across endpoints ignores the payload type (RFC 8866 §6.6 rtpmap).</summary>
public class RtpCodecTests
{
    [Fact]
    public void SameFormatIgnoresPayloadTypeAndCase()
    {
        var publisher = new RtpCodec(96, "VP8", 90000, 0, null);
        var subscriber = new RtpCodec(120, "vp8", 90000, 0, "max-fr=30");
        Assert.True(publisher.IsSameFormat(subscriber));
    }

    [Fact]
    public void MonoWhenChannelsAreZeroOrOne()
    {
        Assert.True(new RtpCodec(0, "PCMU", 8000, 0, null).IsSameFormat(new RtpCodec(0, "PCMU", 8000, 1, null)));
        Assert.False(new RtpCodec(111, "opus", 48000, 2, null).IsSameFormat(new RtpCodec(111, "opus", 48000, 1, null)));
    }

    [Fact]
    public void DifferentNameOrClockIsADifferentFormat()
    {
        var vp8 = new RtpCodec(96, "VP8", 90000, 0, null);
        Assert.False(vp8.IsSameFormat(new RtpCodec(96, "VP9", 90000, 0, null)));
        Assert.False(vp8.IsSameFormat(new RtpCodec(96, "VP8", 48000, 0, null)));
    }
}
