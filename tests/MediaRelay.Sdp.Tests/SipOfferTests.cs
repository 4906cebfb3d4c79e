namespace MediaRelay.Sdp.Tests;

public class SipOfferTests
{
    private readonly SessionDescription _sdp = SessionDescription.Parse(SdpSamples.SipOffer);

    [Fact]
    public void Session_connection_and_bandwidth()
    {
        Assert.Equal("CiscoSystemsCCM-SIP", _sdp.Origin.Username);
        Assert.Equal(1UL, _sdp.Origin.SessionVersion);
        Assert.Equal(new SdpConnection("IN", "IP4", "10.10.10.21"), _sdp.Connection);
        Assert.Equal([new SdpBandwidth("AS", 4064)], _sdp.Bandwidths);
        Assert.All(_sdp.Media, m => Assert.Null(m.Connection));
        Assert.All(_sdp.Media, m => Assert.Equal(_sdp.Connection, _sdp.GetConnection(m)));
        Assert.Null(_sdp.GetIceUfrag(_sdp.Media[0]));
        Assert.Null(_sdp.GetFingerprint(_sdp.Media[0]));
    }

    [Fact]
    public void Audio_codecs_ptime_rtcp_and_crypto()
    {
        MediaDescription audio = _sdp.Media[0];
        Assert.Equal(("audio", 24580, "RTP/AVP"), (audio.Kind, audio.Port, audio.Protocol));
        Assert.Equal([new SdpBandwidth("TIAS", 64000)], audio.Bandwidths);
        Assert.Equal(
            ["9 G722/8000", "0 PCMU/8000", "8 PCMA/8000", "101 telephone-event/8000"],
            audio.GetRtpMaps().Select(m => m.ToString()));
        Assert.Equal("0-15", audio.GetRtpMap(101)!.Fmtp);
        Assert.True(audio.GetRtpMap(101)!.GetFmtpParameters().ContainsKey("0-15"));
        Assert.Equal(20, audio.Ptime);
        Assert.Equal(40, audio.MaxPtime);
        Assert.Equal(new SdpRtcp(24581), audio.Rtcp);
        Assert.Null(audio.Mid);
        Assert.False(audio.RtcpMux);

        IReadOnlyList<SdpCrypto> cryptos = audio.GetCryptos();
        Assert.Equal(2, cryptos.Count);
        Assert.Equal((1u, "AES_CM_128_HMAC_SHA1_80"), (cryptos[0].Tag, cryptos[0].Suite));
        SdpCryptoKey key = Assert.Single(cryptos[0].Keys);
        Assert.Equal(("inline", "yXtQqmMZDwQ3lx7waqGW1qwpv9w0aQ45OjU0h7HI", "2^31"), (key.Method, key.KeySalt, key.Lifetime));
        Assert.True(key.TryGetKeySalt(out byte[]? keySalt));
        Assert.Equal(30, keySalt.Length);
        Assert.Empty(cryptos[0].SessionParameters);

        SdpCryptoKey second = Assert.Single(cryptos[1].Keys);
        Assert.Equal((1u, 4), (second.Mki, second.MkiLength));
        Assert.Equal(["UNENCRYPTED_SRTCP"], cryptos[1].SessionParameters);
    }

    [Fact]
    public void Video_h264_and_wildcard_feedback()
    {
        MediaDescription video = _sdp.Media[1];
        Assert.Equal(new SdpRtcp(24583, new SdpConnection("IN", "IP4", "10.10.10.21")), video.Rtcp);

        SdpRtpMap h264 = video.GetRtpMap(126)!;
        IReadOnlyDictionary<string, string> fmtp = h264.GetFmtpParameters();
        Assert.Equal("42801F", fmtp["profile-level-id"]);
        Assert.Equal("1", fmtp["packetization-mode"]);
        Assert.Equal("108000", fmtp["max-mbps"]);
        Assert.Equal(["nack pli", "ccm fir", "ccm tmmbr"], h264.RtcpFeedback);

        SdpRtpMap mode0 = video.GetRtpMap(97)!;
        Assert.Equal("0", mode0.GetFmtpParameters()["packetization-mode"]);
        Assert.Equal(["nack pli", "ccm fir"], mode0.RtcpFeedback);
        Assert.Equal("main", video.Attributes.GetValue("content"));
        Assert.Single(video.GetCryptos());
    }
}
