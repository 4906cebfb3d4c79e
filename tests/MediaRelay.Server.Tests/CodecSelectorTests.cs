using MediaRelay.Sdp;
using MediaRelay.Server.Negotiation;
using MediaRelay.Sfu;

namespace MediaRelay.Server.Tests;

public class CodecSelectorTests
{
    private static readonly string[] Vp8First = ["VP8", "H264"];
    private static readonly string[] H264First = ["H264", "VP8"];

    private readonly SessionDescription _offer = GoldenOffer.Parse();

    private MediaDescription Audio => _offer.Media[0];
    private MediaDescription Video => _offer.Media[1];
    private MediaDescription SimulcastVideo => _offer.Media[2];

    [Fact]
    public void Audio_picks_opus_48000_stereo()
    {
        SdpRtpMap opus = Assert.IsType<SdpRtpMap>(CodecSelector.SelectAudio(Audio));
        Assert.Equal(111, opus.PayloadType);
        Assert.Equal("opus", opus.EncodingName);
        Assert.Equal(48000, opus.ClockRate);
        Assert.Equal(2, opus.Channels);
        Assert.Equal("minptime=10;useinbandfec=1", opus.Fmtp);
        Assert.Equal(new RtpCodec(111, "opus", 48000, 2, "minptime=10;useinbandfec=1"), CodecSelector.ToCodec(opus));
    }

    [Fact]
    public void Audio_without_opus_is_not_accepted()
    {
        MediaDescription g711 = GoldenOffer.Section("m=audio 9 UDP/TLS/RTP/SAVPF 0 8", "a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000");
        Assert.Null(CodecSelector.SelectAudio(g711));
        Assert.Null(CodecSelector.SelectAudio(Video));
    }

    [Fact]
    public void Video_follows_the_preference_order()
    {
        SdpRtpMap vp8 = Assert.IsType<SdpRtpMap>(CodecSelector.SelectVideo(Video, Vp8First));
        Assert.Equal((96, "VP8", 90000), (vp8.PayloadType, vp8.EncodingName, vp8.ClockRate));
        Assert.Contains("nack pli", vp8.RtcpFeedback);
        Assert.Equal(1, CodecSelector.ToCodec(vp8).Channels);

        SdpRtpMap h264 = Assert.IsType<SdpRtpMap>(CodecSelector.SelectVideo(Video, H264First));
        Assert.Equal((100, "H264"), (h264.PayloadType, h264.EncodingName));
        IReadOnlyDictionary<string, string> fmtp = h264.GetFmtpParameters();
        Assert.Equal("1", fmtp["packetization-mode"]);
        Assert.Equal("42e01f", fmtp["profile-level-id"]);

        Assert.Equal(96, CodecSelector.SelectVideo(SimulcastVideo, Vp8First)!.PayloadType);
        Assert.Equal(100, CodecSelector.SelectVideo(SimulcastVideo, H264First)!.PayloadType);
    }

    [Fact]
    public void Video_vp9_only_profile_0()
    {
        Assert.Equal(98, CodecSelector.SelectVideo(Video, ["VP9"])!.PayloadType);
        MediaDescription vp9Profile2 = GoldenOffer.Section("m=video 9 UDP/TLS/RTP/SAVPF 98", "a=rtpmap:98 VP9/90000", "a=fmtp:98 profile-id=2");
        Assert.Null(CodecSelector.SelectVideo(vp9Profile2, ["VP9"]));
    }

    [Fact]
    public void Video_without_a_preferred_codec_is_not_accepted()
    {
        Assert.Null(CodecSelector.SelectVideo(SimulcastVideo, ["VP9"]));
        Assert.Null(CodecSelector.SelectVideo(Video, []));
        MediaDescription av1Only = GoldenOffer.Section("m=video 9 UDP/TLS/RTP/SAVPF 45 46",
            "a=rtpmap:45 AV1/90000", "a=rtpmap:46 rtx/90000", "a=fmtp:46 apt=45");
        Assert.Null(CodecSelector.SelectVideo(av1Only, Vp8First));
    }

    [Theory]
    [InlineData("packetization-mode=0;profile-level-id=42e01f")]
    [InlineData("profile-level-id=42e01f")]
    [InlineData("packetization-mode=1;profile-level-id=640c1f")]
    [InlineData("packetization-mode=1;profile-level-id=4d001f")]
    [InlineData("packetization-mode=1")]
    public void H264_needs_mode_1_constrained_baseline(string fmtp)
    {
        MediaDescription section = GoldenOffer.Section("m=video 9 UDP/TLS/RTP/SAVPF 102", "a=rtpmap:102 H264/90000", "a=fmtp:102 " + fmtp);
        Assert.Null(CodecSelector.SelectVideo(section, ["H264"]));
    }

    [Fact]
    public void H264_skips_unacceptable_profiles_for_a_later_acceptable_one()
    {
        MediaDescription section = GoldenOffer.Section("m=video 9 UDP/TLS/RTP/SAVPF 102 104 106",
            "a=rtpmap:102 H264/90000", "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f",
            "a=rtpmap:104 H264/90000", "a=fmtp:104 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=640c1f",
            "a=rtpmap:106 H264/90000", "a=fmtp:106 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f");
        Assert.Equal(106, CodecSelector.SelectVideo(section, ["H264"])!.PayloadType);
    }

    [Fact]
    public void Producer_codec_maps_to_the_subscribers_payload_type()
    {
        var vp8 = new RtpCodec(120, "VP8", 90000, 1, null);
        Assert.Equal(96, CodecSelector.SelectForProducer(Video, vp8)!.PayloadType);

        var opus = new RtpCodec(109, "opus", 48000, 2, "minptime=10;useinbandfec=1");
        Assert.Equal(111, CodecSelector.SelectForProducer(Audio, opus)!.PayloadType);

        var h264 = new RtpCodec(102, "H264", 90000, 1, "packetization-mode=1;profile-level-id=42e01f");
        Assert.Equal(100, CodecSelector.SelectForProducer(Video, h264)!.PayloadType);

        var vp9 = new RtpCodec(101, "VP9", 90000, 1, "profile-id=0");
        Assert.Equal(98, CodecSelector.SelectForProducer(Video, vp9)!.PayloadType);
    }

    [Fact]
    public void Producer_codec_the_subscriber_lacks_gives_null()
    {
        Assert.Null(CodecSelector.SelectForProducer(SimulcastVideo, new RtpCodec(98, "VP9", 90000, 1, "profile-id=0")));
        Assert.Null(CodecSelector.SelectForProducer(Video, new RtpCodec(98, "VP9", 90000, 1, "profile-id=2")));
        Assert.Null(CodecSelector.SelectForProducer(Audio, new RtpCodec(96, "VP8", 90000, 1, null)));
        Assert.Null(CodecSelector.SelectForProducer(Audio, new RtpCodec(111, "opus", 16000, 2, null)));
    }

    [Fact]
    public void H264_packetization_modes_must_match()
    {
        var mode0 = new RtpCodec(100, "H264", 90000, 1, "packetization-mode=0;profile-level-id=42e01f");
        Assert.Null(CodecSelector.SelectForProducer(Video, mode0));

        MediaDescription both = GoldenOffer.Section("m=video 9 UDP/TLS/RTP/SAVPF 102 127",
            "a=rtpmap:102 H264/90000", "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f",
            "a=rtpmap:127 H264/90000", "a=fmtp:127 level-asymmetry-allowed=1;profile-level-id=42001f");
        Assert.Equal(127, CodecSelector.SelectForProducer(both, mode0)!.PayloadType);
        var mode1 = new RtpCodec(100, "H264", 90000, 1, "packetization-mode=1;profile-level-id=42e01f");
        Assert.Equal(102, CodecSelector.SelectForProducer(both, mode1)!.PayloadType);
    }
}
