namespace MediaRelay.Sdp.Tests;

public class SdpAttributeValueTests
{
    [Fact]
    public void Candidate_host_round_trips_with_extensions()
    {
        const string value = "842163049 1 udp 2122260223 192.0.2.10 54321 typ host generation 0 network-id 1 network-cost 10";

        Assert.True(SdpCandidate.TryParse(value, out SdpCandidate? c));

        Assert.Equal(("842163049", 1, "udp", 2122260223u), (c.Foundation, c.Component, c.Transport, c.Priority));
        Assert.Equal(("192.0.2.10", 54321, "host"), (c.Address, c.Port, c.Type));
        Assert.Null(c.RelatedAddress);
        Assert.Equal("10", c.GetExtension("network-cost"));
        Assert.Equal(3, c.Extensions.Count);
        Assert.Equal(value, c.ToString());
    }

    [Fact]
    public void Candidate_srflx_tcp_and_trickle_prefix()
    {
        Assert.True(SdpCandidate.TryParse(
            "candidate:1 1 UDP 1686052607 203.0.113.7 61000 typ srflx raddr 10.0.0.2 rport 50000", out SdpCandidate? srflx));
        Assert.Equal(("10.0.0.2", (int?)50000), (srflx.RelatedAddress, srflx.RelatedPort));
        Assert.Equal("1 1 UDP 1686052607 203.0.113.7 61000 typ srflx raddr 10.0.0.2 rport 50000", srflx.ToString());

        Assert.True(SdpCandidate.TryParse("4 1 tcp 1518280447 f2c1d3e4.local 9 typ host tcptype active", out SdpCandidate? tcp));
        Assert.Equal("active", tcp.GetExtension("tcptype"));
        Assert.Equal(9, tcp.Port);
    }

    [Theory]
    [InlineData("1 1 udp 100 192.0.2.1 5000")]                 // no typ
    [InlineData("1 1 udp 100 192.0.2.1 5000 host host")]       // "typ" missing
    [InlineData("1 0 udp 100 192.0.2.1 5000 typ host")]        // component 0
    [InlineData("1 1 udp -5 192.0.2.1 5000 typ host")]         // negative priority
    [InlineData("1 1 udp 100 192.0.2.1 70000 typ host")]       // port range
    [InlineData("1 1 udp 100 192.0.2.1 5000 typ host gen")]    // dangling extension
    [InlineData("1 1 udp 100 192.0.2.1 5000 typ srflx rport x")]
    public void Candidate_rejects_malformed(string value) => Assert.False(SdpCandidate.TryParse(value, out _));

    [Fact]
    public void Media_add_candidate_goes_before_end_of_candidates()
    {
        var media = new MediaDescription("audio", 9, "UDP/TLS/RTP/SAVPF") { EndOfCandidates = true };
        media.AddCandidate(new SdpCandidate { Foundation = "1", Priority = 2130706431, Address = "192.0.2.1", Port = 40000 });

        Assert.Equal("candidate", media.Attributes[0].Name);
        Assert.Equal("1 1 udp 2130706431 192.0.2.1 40000 typ host", media.Attributes[0].Value);
        Assert.True(media.EndOfCandidates);
        Assert.Single(media.GetCandidates());
    }

    [Fact]
    public void Rid_with_payload_types_and_restrictions()
    {
        const string value = "h send pt=96,100;max-width=1280;max-height=720;max-fps=30";

        Assert.True(SdpRid.TryParse(value, out SdpRid? rid));

        Assert.Equal(("h", SdpRidDirection.Send), (rid.Id, rid.Direction));
        Assert.Equal([96, 100], rid.PayloadTypes);
        Assert.Equal("1280", rid.GetRestriction("max-width"));
        Assert.Equal(3, rid.Restrictions.Count);
        Assert.Equal(value, rid.ToString());
        Assert.Equal("lo recv", new SdpRid("lo", SdpRidDirection.Recv).ToString());
        Assert.False(SdpRid.TryParse("x both", out _));
        Assert.False(SdpRid.TryParse("x send pt=abc", out _));
        Assert.False(SdpRid.TryParse("bad!id send", out _));
    }

    [Fact]
    public void Simulcast_alternatives_paused_and_recv()
    {
        Assert.True(SdpSimulcast.TryParse("recv 1,~2;3 send 4", out SdpSimulcast? sc));

        Assert.Equal(2, sc.Recv.Count);
        Assert.Equal([new SdpSimulcastStream("1"), new SdpSimulcastStream("2", Paused: true)], sc.Recv[0]);
        Assert.Equal("4", Assert.Single(Assert.Single(sc.Send)).Rid);
        Assert.Equal("send 4 recv 1,~2;3", sc.ToString());
        Assert.True(SdpSimulcast.TryParse("send rid=a;b", out SdpSimulcast? legacy));
        Assert.Equal("send a;b", legacy.ToString());
        Assert.False(SdpSimulcast.TryParse("send a send b", out _));
        Assert.False(SdpSimulcast.TryParse("send a;;b", out _));
        Assert.False(SdpSimulcast.TryParse("sideways a", out _));
    }

    [Fact]
    public void ExtMap_direction_attributes_and_id_range()
    {
        Assert.True(SdpExtMap.TryParse("3/sendonly urn:ietf:params:rtp-hdrext:encrypt urn:x ext", out SdpExtMap? e));
        Assert.Equal((3, SdpDirection.SendOnly, "urn:ietf:params:rtp-hdrext:encrypt", "urn:x ext"), (e.Id, e.Direction, e.Uri, e.ExtensionAttributes));
        Assert.Equal("3/sendonly urn:ietf:params:rtp-hdrext:encrypt urn:x ext", e.ToString());
        Assert.True(SdpExtMap.TryParse("4096 urn:x", out _));
        Assert.False(SdpExtMap.TryParse("0 urn:x", out _));
        Assert.False(SdpExtMap.TryParse("256 urn:x", out _));
        Assert.False(SdpExtMap.TryParse("1/sideways urn:x", out _));
        Assert.False(SdpExtMap.TryParse("1", out _));
    }

    [Fact]
    public void Crypto_keys_mki_and_session_parameters_round_trip()
    {
        const string value = "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32;"
            + "inline:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVpBQkNE|2^20|2:32 KDR=1 FEC_ORDER=FEC_SRTP";

        Assert.True(SdpCrypto.TryParse(value, out SdpCrypto? crypto));

        Assert.Equal(2, crypto.Keys.Count);
        Assert.Equal((2u, 32), (crypto.Keys[1].Mki, crypto.Keys[1].MkiLength));
        Assert.Equal(["KDR=1", "FEC_ORDER=FEC_SRTP"], crypto.SessionParameters);
        Assert.Equal(value, crypto.ToString());

        byte[] material = Enumerable.Range(1, 30).Select(i => (byte)i).ToArray();
        var built = new SdpCrypto(7, "AES_CM_128_HMAC_SHA1_80", SdpCryptoKey.Inline(material, "2^31"));
        Assert.True(SdpCrypto.TryParse(built.ToString(), out SdpCrypto? reparsed));
        Assert.Equal(built, reparsed);
        Assert.True(reparsed.Keys[0].TryGetKeySalt(out byte[]? keySalt));
        Assert.Equal(material, keySalt);

        Assert.False(SdpCrypto.TryParse("1 AES_CM_128_HMAC_SHA1_80", out _));
        Assert.False(SdpCrypto.TryParse("x AES_CM_128_HMAC_SHA1_80 inline:abc", out _));
        Assert.False(SdpCrypto.TryParse("1 AES_CM_128_HMAC_SHA1_80 inline:abc|1:x", out _));
    }

    [Fact]
    public void RtpMap_parse_and_payload_type_bounds()
    {
        Assert.True(SdpRtpMap.TryParse("111 opus/48000/2", out SdpRtpMap? opus));
        Assert.Equal((111, "opus", 48000, (int?)2), (opus.PayloadType, opus.EncodingName, opus.ClockRate, opus.Channels));
        Assert.False(SdpRtpMap.TryParse("128 foo/8000", out _));
        Assert.False(SdpRtpMap.TryParse("96 VP8", out _));
        Assert.False(SdpRtpMap.TryParse("96 VP8/0", out _));
        Assert.False(SdpRtpMap.TryParse("96 VP8/90000/2/3", out _));
        Assert.Empty(SdpRtpMap.ParseFmtpParameters(null));
        Assert.Equal("b", SdpRtpMap.ParseFmtpParameters(" a = b ; ;c")["a"]);
    }

    [Fact]
    public void Fingerprint_from_digest_and_bad_hex()
    {
        SdpFingerprint fp = SdpFingerprint.FromDigest("sha-256", [0x0A, 0xFF, 0x10]);

        Assert.Equal("sha-256 0A:FF:10", fp.ToString());
        Assert.True(fp.Matches("sha-256", [0x0A, 0xFF, 0x10]));
        Assert.False(fp.Matches("sha-1", [0x0A, 0xFF, 0x10]));
        Assert.False(new SdpFingerprint("sha-256", "0A:G1").TryGetDigest(out _));
        Assert.False(SdpFingerprint.TryParse("sha-256", out _));
    }

    [Fact]
    public void Builders_write_attributes_that_read_back()
    {
        var media = new MediaDescription("video", 9, "UDP/TLS/RTP/SAVPF");
        media.AddExtMap(new SdpExtMap(10, SdpExtMap.RtpStreamIdUri));
        media.AddSsrcGroup(new SdpSsrcGroup(SdpSsrcGroup.Fid, [1u, 2u]));
        media.AddSsrc(new SdpSsrc(1, "cname", "c"));
        media.AddRid(new SdpRid("q", SdpRidDirection.Recv, [96], [new("max-width", "320")]));
        media.Simulcast = new SdpSimulcast([], [[new SdpSimulcastStream("q")]]);
        media.Msid = new SdpMsid("-", "t");
        media.Fingerprint = new SdpFingerprint("sha-256", "AA:BB");
        media.Rtcp = new SdpRtcp(9, SdpConnection.ForAddress("::"));
        media.Ptime = 20;
        media.AddRtpMap(new SdpRtpMap(96, "VP8", 90000) { RtcpFeedback = { "nack", "nack pli" } });

        MediaDescription back = SessionDescription.Parse("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\n" + media).Media[0];

        Assert.Equal(["96"], back.Formats);
        Assert.Equal(new SdpExtMap(10, SdpExtMap.RtpStreamIdUri), Assert.Single(back.GetExtMaps()));
        Assert.Equal(new SdpSsrcGroup("FID", [1u, 2u]), Assert.Single(back.GetSsrcGroups()));
        Assert.Equal(new SdpSsrc(1, "cname", "c"), Assert.Single(back.GetSsrcs()));
        Assert.Equal("q recv pt=96;max-width=320", Assert.Single(back.GetRids()).ToString());
        Assert.Equal("recv q", back.Simulcast!.ToString());
        Assert.Equal(new SdpMsid("-", "t"), back.Msid);
        Assert.Equal(new SdpRtcp(9, new SdpConnection("IN", "IP6", "::")), back.Rtcp);
        Assert.Equal(20, back.Ptime);
        Assert.Equal(["nack", "nack pli"], back.GetRtpMap(96)!.RtcpFeedback);
    }

    [Fact]
    public void Session_level_ice_and_dtls_attributes_are_the_fallback()
    {
        const string text = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\na=ice-lite\r\na=ice-ufrag:sess\r\n"
            + "a=ice-pwd:sesspwd\r\na=fingerprint:sha-256 AA:BB\r\na=setup:passive\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:a\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:b\r\na=ice-ufrag:media\r\na=fingerprint:sha-1 CC:DD\r\na=setup:active\r\n";

        SessionDescription sdp = SessionDescription.Parse(text);

        Assert.True(sdp.IceLite);
        Assert.Equal(("sess", "sesspwd"), (sdp.GetIceUfrag(sdp.Media[0]), sdp.GetIcePwd(sdp.Media[0])));
        Assert.Equal(("media", "sesspwd"), (sdp.GetIceUfrag(sdp.Media[1]), sdp.GetIcePwd(sdp.Media[1])));
        Assert.Equal("sha-256", sdp.GetFingerprint(sdp.Media[0])!.Algorithm);
        Assert.Equal("sha-1", Assert.Single(sdp.GetFingerprints(sdp.Media[1])).Algorithm);
        Assert.Equal(SdpSetup.Passive, sdp.GetSetup(sdp.Media[0]));
        Assert.Equal(SdpSetup.Active, sdp.GetSetup(sdp.Media[1]));
        Assert.Empty(sdp.Media[0].GetRtpMaps());   // dynamic PT without a=rtpmap is skipped
    }

    [Fact]
    public void Malformed_attribute_values_are_skipped_not_thrown()
    {
        const string text = "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=video 9 RTP/AVP 96\n"
            + "a=rtpmap:96\na=extmap:x\na=ssrc:abc cname:x\na=rid:\na=simulcast:\na=candidate:1\na=crypto:\n"
            + "a=ptime:x\na=setup:sideways\na=msid:\na=fingerprint:x\na=rtcp:x\na=ssrc-group:FID x\n";

        MediaDescription media = SessionDescription.Parse(text).Media[0];

        Assert.Empty(media.GetRtpMaps());
        Assert.Empty(media.GetExtMaps());
        Assert.Empty(media.GetSsrcs());
        Assert.Empty(media.GetSsrcGroups());
        Assert.Empty(media.GetRids());
        Assert.Empty(media.GetCandidates());
        Assert.Empty(media.GetCryptos());
        Assert.Null(media.Simulcast);
        Assert.Null(media.Ptime);
        Assert.Null(media.Setup);
        Assert.Null(media.Msid);
        Assert.Null(media.Fingerprint);
        Assert.Null(media.Rtcp);
    }
}
