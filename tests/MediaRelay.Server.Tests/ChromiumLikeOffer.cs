using System.Text;

namespace MediaRelay.Server.Tests;

/// <summary>
/// Builds offers shaped like Chromium's unified-plan offers (BUNDLE, per-section ICE and DTLS attributes,
/// rtx partners, a=ssrc for sending sections), one m-section at a time.
/// </summary>
internal sealed class ChromiumLikeOffer
{
    public const string Ufrag = "Q9dv";
    public const string Pwd = "7cL0nPq2rW3sT4uV5xY6zA8b";
    public const string Fingerprint =
        "D5:9E:AE:F9:78:25:AC:58:F3:19:BA:6A:76:FE:CB:26:9C:30:79:EF:5E:D0:B5:F1:F1:56:8D:10:D6:58:2B:87";

    private const string Stream = "9d3f1a52-7c2e-4b8a-9f61-2e0c5d7a8b14";
    private readonly List<string> _mids = [];
    private readonly StringBuilder _sections = new();

    /// <summary>Audio: opus 111 plus the usual G.711/CN/telephone-event tail.</summary>
    public ChromiumLikeOffer Audio(string mid, string direction, uint ssrc = 0)
    {
        Section("audio", mid, "111 63 9 0 8 13 110 126");
        Line("a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level");
        Line("a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time");
        Line("a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid");
        Direction(direction, mid, ssrc);
        Line("a=rtpmap:111 opus/48000/2");
        Line("a=rtcp-fb:111 transport-cc");
        Line("a=fmtp:111 minptime=10;useinbandfec=1");
        Line("a=rtpmap:63 red/48000/2");
        Line("a=fmtp:63 111/111");
        Line("a=rtpmap:9 G722/8000");
        Line("a=rtpmap:0 PCMU/8000");
        Line("a=rtpmap:8 PCMA/8000");
        Line("a=rtpmap:13 CN/8000");
        Line("a=rtpmap:110 telephone-event/48000");
        Line("a=rtpmap:126 telephone-event/8000");
        Ssrcs(mid, ssrc, 0);
        return this;
    }

    /// <summary>Video: VP8 (vp8Pt) and H264 mode 1 (h264Pt), each with an rtx partner one above.</summary>
    public ChromiumLikeOffer Video(string mid, string direction, uint ssrc = 0, uint rtxSsrc = 0, int vp8Pt = 96, int h264Pt = 100)
    {
        Section("video", mid, $"{vp8Pt} {vp8Pt + 1} {h264Pt} {h264Pt + 1}");
        Line("a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time");
        Line("a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01");
        Line("a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid");
        Line("a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id");
        Line("a=extmap:12 http://www.webrtc.org/experiments/rtp-hdrext/playout-delay");
        Direction(direction, mid, ssrc);
        VideoCodec(vp8Pt, "VP8", null);
        VideoCodec(h264Pt, "H264", "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f");
        Ssrcs(mid, ssrc, rtxSsrc);
        return this;
    }

    /// <summary>
    /// A sending video section with RFC 8851 a=rid send lines and an RFC 8853 a=simulcast:send list given verbatim
    /// (e.g. "q;h;f", "~q,q2;h"), without a=ssrc lines (Chromium announces simulcast SSRCs only through the RID
    /// header extension, id 10 here).
    /// </summary>
    public ChromiumLikeOffer SimulcastVideo(string mid, string[] sendRids, string simulcastSend)
    {
        Video(mid, "sendonly");
        Line("a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id");
        foreach (string rid in sendRids)
        {
            Line($"a=rid:{rid} send");
        }
        Line("a=simulcast:send " + simulcastSend);
        return this;
    }

    /// <summary>A video section offering only AV1 (and its rtx), which the server does not accept.</summary>
    public ChromiumLikeOffer Av1Video(string mid, string direction, uint ssrc = 0)
    {
        Section("video", mid, "45 46");
        Line("a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid");
        Direction(direction, mid, ssrc);
        VideoCodec(45, "AV1", "level-idx=5;profile=0;tier=0");
        Ssrcs(mid, ssrc, 0);
        return this;
    }

    /// <summary>RFC 8841 data channel section.</summary>
    public ChromiumLikeOffer DataChannel(string mid)
    {
        _mids.Add(mid);
        Line("m=application 9 UDP/DTLS/SCTP webrtc-datachannel");
        Line("c=IN IP4 0.0.0.0");
        Transport(mid);
        Line("a=sctp-port:5000");
        Line("a=max-message-size:262144");
        return this;
    }

    public override string ToString() =>
        "v=0\r\no=- 6818450387426431727 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
        + "a=group:BUNDLE " + string.Join(' ', _mids) + "\r\n"
        + "a=extmap-allow-mixed\r\na=msid-semantic: WMS " + Stream + "\r\n"
        + _sections;

    private void Section(string kind, string mid, string formats)
    {
        _mids.Add(mid);
        Line($"m={kind} 9 UDP/TLS/RTP/SAVPF {formats}");
        Line("c=IN IP4 0.0.0.0");
        Line("a=rtcp:9 IN IP4 0.0.0.0");
        Transport(mid);
    }

    private void Transport(string mid)
    {
        Line("a=ice-ufrag:" + Ufrag);
        Line("a=ice-pwd:" + Pwd);
        Line("a=ice-options:trickle");
        Line("a=fingerprint:sha-256 " + Fingerprint);
        Line("a=setup:actpass");
        Line("a=mid:" + mid);
    }

    private void Direction(string direction, string mid, uint ssrc)
    {
        Line("a=" + direction);
        if (ssrc != 0)
        {
            Line($"a=msid:{Stream} track-{mid}");
        }
        Line("a=rtcp-mux");
        Line("a=rtcp-rsize");
    }

    private void VideoCodec(int pt, string name, string? fmtp)
    {
        Line($"a=rtpmap:{pt} {name}/90000");
        foreach (string fb in (string[])["goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"])
        {
            Line($"a=rtcp-fb:{pt} {fb}");
        }
        if (fmtp is not null)
        {
            Line($"a=fmtp:{pt} {fmtp}");
        }
        Line($"a=rtpmap:{pt + 1} rtx/90000");
        Line($"a=fmtp:{pt + 1} apt={pt}");
    }

    private void Ssrcs(string mid, uint ssrc, uint rtxSsrc)
    {
        if (ssrc == 0)
        {
            return;
        }
        if (rtxSsrc != 0)
        {
            Line($"a=ssrc-group:FID {ssrc} {rtxSsrc}");
        }
        foreach (uint s in rtxSsrc != 0 ? [ssrc, rtxSsrc] : (uint[])[ssrc])
        {
            Line($"a=ssrc:{s} cname:Yq3bT5pVx8kLm2Nw");
            Line($"a=ssrc:{s} msid:{Stream} track-{mid}");
        }
    }

    private void Line(string line) => _sections.Append(line).Append("\r\n");
}
