namespace MediaRelay.Sdp.Tests;

public class ChromiumOfferTests
{
    private const string StreamId = "9d3f1a52-7c2e-4b8a-9f61-2e0c5d7a8b14";
    private const string Fingerprint =
        "D5:9E:AE:F9:78:25:AC:58:F3:19:BA:6A:76:FE:CB:26:9C:30:79:EF:5E:D0:B5:F1:F1:56:8D:10:D6:58:2B:87";

    private readonly SessionDescription _sdp = SessionDescription.Parse(SdpSamples.ChromiumOffer);

    [Fact]
    public void Session_level_bundle_msid_semantic_and_flags()
    {
        SdpGroup bundle = Assert.Single(_sdp.GetBundleGroups());
        Assert.Equal(["0", "1", "2"], bundle.Mids);
        Assert.Same(_sdp.Media[1], _sdp.FindMedia("1"));
        Assert.Equal(bundle, _sdp.FindBundleGroup("2"));
        Assert.True(_sdp.ExtmapAllowMixed);
        Assert.False(_sdp.IceLite);
        Assert.Equal(new SdpMsidSemantic("WMS", [StreamId]).ToString(), _sdp.MsidSemantic!.ToString());
        Assert.Equal("WMS", _sdp.MsidSemantic.Semantic);
        Assert.Equal(["audio", "video", "video"], _sdp.Media.Select(m => m.Kind));
    }

    [Fact]
    public void Transport_attributes_resolve_from_media_level()
    {
        foreach (MediaDescription media in _sdp.Media)
        {
            Assert.Equal(9, media.Port);
            Assert.Equal("UDP/TLS/RTP/SAVPF", media.Protocol);
            Assert.Equal("Q9dv", _sdp.GetIceUfrag(media));
            Assert.Equal("7cL0nPq2rW3sT4uV5xY6zA8b", _sdp.GetIcePwd(media));
            Assert.Equal("trickle", _sdp.GetIceOptions(media));
            Assert.Equal(new SdpFingerprint("sha-256", Fingerprint), _sdp.GetFingerprint(media));
            Assert.Equal(SdpSetup.ActPass, _sdp.GetSetup(media));
            Assert.True(media.RtcpMux);
            Assert.True(media.RtcpRsize);
            Assert.Equal(new SdpRtcp(9, new SdpConnection("IN", "IP4", "0.0.0.0")), media.Rtcp);
        }

        Assert.True(_sdp.GetFingerprint(_sdp.Media[0])!.TryGetDigest(out byte[]? digest));
        Assert.Equal(32, digest.Length);
        Assert.Equal(0xD5, digest[0]);
        Assert.True(_sdp.Media[0].Fingerprint!.Matches("SHA-256", digest));
    }

    [Fact]
    public void Audio_section_codecs_extmaps_and_ssrcs()
    {
        MediaDescription audio = _sdp.Media[0];
        Assert.Equal("0", audio.Mid);
        Assert.Equal(SdpDirection.SendRecv, audio.Direction);
        Assert.Equal(new SdpMsid(StreamId, "1b7e6c0d-3f2a-4e59-8c1d-6a4b2f9e0c37"), audio.Msid);

        IReadOnlyList<SdpRtpMap> maps = audio.GetRtpMaps();
        Assert.Equal(
            ["opus/48000/2", "red/48000/2", "G722/8000", "PCMU/8000", "PCMA/8000", "CN/8000", "telephone-event/48000", "telephone-event/8000"],
            maps.Select(m => m.ToString()[(m.ToString().IndexOf(' ') + 1)..]));
        Assert.Equal([111, 63, 9, 0, 8, 13, 110, 126], maps.Select(m => m.PayloadType));

        SdpRtpMap opus = maps[0];
        Assert.Equal(2, opus.Channels);
        Assert.Equal("minptime=10;useinbandfec=1", opus.Fmtp);
        Assert.Equal("1", opus.GetFmtpParameters()["useinbandfec"]);
        Assert.Equal("10", opus.GetFmtpParameters()["MINPTIME"]);
        Assert.Equal(["transport-cc"], opus.RtcpFeedback);
        Assert.Equal("111/111", maps[1].Fmtp);

        IReadOnlyList<SdpExtMap> extMaps = audio.GetExtMaps();
        Assert.Equal(4, extMaps.Count);
        Assert.Equal(new SdpExtMap(1, SdpExtMap.AudioLevelUri), extMaps[0]);
        Assert.Equal(new SdpExtMap(4, SdpExtMap.MidUri), extMaps[3]);

        IReadOnlyList<SdpSsrc> ssrcs = audio.GetSsrcs();
        Assert.Equal(new SdpSsrc(2934557801, "cname", "Yq3bT5pVx8kLm2Nw"), ssrcs[0]);
        Assert.Equal(new SdpSsrc(2934557801, "msid", StreamId + " 1b7e6c0d-3f2a-4e59-8c1d-6a4b2f9e0c37"), ssrcs[1]);
        Assert.Empty(audio.GetSsrcGroups());
    }

    [Fact]
    public void Video_section_codecs_with_rtx_and_feedback()
    {
        MediaDescription video = _sdp.Media[1];
        IReadOnlyList<SdpRtpMap> maps = video.GetRtpMaps();
        Assert.Equal([96, 97, 98, 99, 100, 101, 45, 46, 103, 104, 105], maps.Select(m => m.PayloadType));

        SdpRtpMap vp8 = maps[0];
        Assert.Equal(("VP8", 90000), (vp8.EncodingName, vp8.ClockRate));
        Assert.Equal(["goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"], vp8.RtcpFeedback);
        Assert.Equal(96, maps[1].AssociatedPayloadType);
        Assert.Equal("rtx", maps[1].EncodingName);
        Assert.Empty(maps[1].RtcpFeedback);

        SdpRtpMap h264 = video.GetRtpMap(100)!;
        IReadOnlyDictionary<string, string> fmtp = h264.GetFmtpParameters();
        Assert.Equal("42e01f", fmtp["profile-level-id"]);
        Assert.Equal("1", fmtp["packetization-mode"]);
        Assert.Equal(100, video.GetRtpMap(101)!.AssociatedPayloadType);

        SdpRtpMap av1 = video.GetRtpMap(45)!;
        Assert.Equal("AV1", av1.EncodingName);
        Assert.Equal("5", av1.GetFmtpParameters()["level-idx"]);
        Assert.Equal(45, video.GetRtpMap(46)!.AssociatedPayloadType);
        Assert.Equal("0", video.GetRtpMap(98)!.GetFmtpParameters()["profile-id"]);
        Assert.Null(video.GetRtpMap(105)!.Fmtp);
        Assert.Null(video.GetRtpMap(127));

        Assert.Equal(11, video.GetExtMaps().Count);
        Assert.Contains(video.GetExtMaps(), e => e.Id == 10 && e.Uri == SdpExtMap.RtpStreamIdUri);

        SdpSsrcGroup fid = Assert.Single(video.GetSsrcGroups());
        Assert.Equal(SdpSsrcGroup.Fid, fid.Semantics);
        Assert.Equal([1374052113u, 3091285446u], fid.Ssrcs);
        Assert.Equal(4, video.GetSsrcs().Count);
        Assert.Equal("Yq3bT5pVx8kLm2Nw", video.GetSsrcs().First(s => s.Ssrc == 3091285446 && s.Attribute == "cname").Value);
    }

    [Fact]
    public void Simulcast_section_rids_and_simulcast()
    {
        MediaDescription sim = _sdp.Media[2];
        Assert.Equal("2", sim.Mid);
        Assert.Equal(SdpDirection.SendOnly, sim.Direction);
        Assert.Empty(sim.GetSsrcs());

        IReadOnlyList<SdpRid> rids = sim.GetRids();
        Assert.Equal(["q", "h", "f"], rids.Select(r => r.Id));
        Assert.All(rids, r => Assert.Equal(SdpRidDirection.Send, r.Direction));
        Assert.All(rids, r => Assert.Empty(r.PayloadTypes));

        SdpSimulcast simulcast = sim.Simulcast!;
        Assert.Empty(simulcast.Recv);
        Assert.Equal(["q", "h", "f"], simulcast.Send.Select(s => Assert.Single(s).Rid));
        Assert.All(simulcast.Send, s => Assert.False(s[0].Paused));
        Assert.Equal("send q;h;f", simulcast.ToString());
        Assert.Equal(SdpSimulcast.SendOnly("q", "h", "f").ToString(), simulcast.ToString());
    }

    [Fact]
    public void Editing_typed_properties_rewrites_in_place()
    {
        MediaDescription audio = _sdp.Media[0];
        int count = audio.Attributes.Count;
        int directionIndex = audio.Attributes.FindIndex(a => a.Name == "sendrecv");

        audio.Direction = SdpDirection.Inactive;
        audio.Setup = SdpSetup.Passive;
        audio.IceUfrag = "new1";

        Assert.Equal(count, audio.Attributes.Count);
        Assert.Equal("inactive", audio.Attributes[directionIndex].Name);
        Assert.Equal(SdpSetup.Passive, _sdp.GetSetup(audio));
        Assert.Equal("new1", _sdp.GetIceUfrag(audio));

        audio.RtcpRsize = false;
        audio.Msid = null;
        Assert.Equal(count - 2, audio.Attributes.Count);
        Assert.Null(audio.Msid);

        SessionDescription reparsed = SessionDescription.Parse(_sdp.ToString());
        Assert.Equal(SdpDirection.Inactive, reparsed.Media[0].Direction);
        Assert.False(reparsed.Media[0].RtcpRsize);
    }
}
