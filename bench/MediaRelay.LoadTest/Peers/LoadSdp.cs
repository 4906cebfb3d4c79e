using System.Globalization;
using System.Net;
using System.Text;

namespace MediaRelay.LoadTest.Peers;

/// <summary>What the generator needs from a server's SDP: ICE credentials, DTLS fingerprint and role, one candidate.</summary>
internal sealed record RemoteDescription(string Ufrag, string Password, string Fingerprint, string Setup, IPEndPoint Candidate,
    IReadOnlyList<RemoteSection> Sections);

/// <summary>One m-section of a remote description (RFC 8866 §5.14) with the payload types it offers by codec name.</summary>
internal sealed record RemoteSection(string Kind, string Mid, IReadOnlyDictionary<string, int> PayloadTypes);

/// <summary>
/// The SDP a load peer sends (RFC 8829 JSEP shapes, RFC 8843 BUNDLE, RFC 8839 ICE attributes, RFC 8122
/// fingerprints) and the little it reads back. Media: Opus 111 (RFC 7587) and VP8 96 (RFC 7741) with the feedback
/// every browser offers (nack, nack pli, ccm fir); no header extensions, no transport-cc, no RTX: the load measures
/// forwarding, not bandwidth estimation.
/// </summary>
internal static class LoadSdp
{
    public static string PublisherOffer(LoadPeer peer, string fingerprint)
    {
        var sdp = Session(peer, "0 1");
        Audio(sdp, peer, "0", "sendonly", "actpass", peer.AudioSsrc);
        Video(sdp, peer, "1", "sendonly", "actpass", peer.VideoSsrc);
        return Finish(sdp, fingerprint);
    }

    /// <summary>An offer receiving audio + video of <paramref name="publishers"/> publishers: mids 0,1 for the first, 2,3 …</summary>
    public static string SubscriberOffer(LoadPeer peer, string fingerprint, int publishers)
    {
        var mids = string.Join(' ', Enumerable.Range(0, publishers * 2).Select(i => i.ToString(CultureInfo.InvariantCulture)));
        var sdp = Session(peer, mids);
        for (int i = 0; i < publishers; i++)
        {
            Audio(sdp, peer, (2 * i).ToString(CultureInfo.InvariantCulture), "recvonly", "actpass", 0);
            Video(sdp, peer, ((2 * i) + 1).ToString(CultureInfo.InvariantCulture), "recvonly", "actpass", 0);
        }
        return Finish(sdp, fingerprint);
    }

    /// <summary>Our answer to a server's offer (Janus's subscriber offer): recvonly in every section, DTLS client.</summary>
    public static string SubscriberAnswer(LoadPeer peer, string fingerprint, RemoteDescription offer)
    {
        var sdp = Session(peer, string.Join(' ', offer.Sections.Select(s => s.Mid)));
        foreach (RemoteSection section in offer.Sections)
        {
            if (section.Kind == "audio")
            {
                Require(section, "opus", LoadPeer.AudioPayloadType);
                Audio(sdp, peer, section.Mid, "recvonly", "active", 0);
            }
            else if (section.Kind == "video")
            {
                Require(section, "VP8", LoadPeer.VideoPayloadType);
                Video(sdp, peer, section.Mid, "recvonly", "active", 0);
            }
            else
            {
                sdp.Append("m=").Append(section.Kind).Append(" 0 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:")
                    .Append(section.Mid).Append("\r\n");
            }
        }
        return Finish(sdp, fingerprint);
    }

    public static RemoteDescription Parse(string sdp)
    {
        string? ufrag = null, pwd = null, fingerprint = null, setup = null;
        IPEndPoint? candidate = null;
        var sections = new List<RemoteSection>();
        string? kind = null, mid = null;
        var payloadTypes = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        void Close()
        {
            if (kind is not null)
            {
                sections.Add(new RemoteSection(kind, mid ?? sections.Count.ToString(CultureInfo.InvariantCulture), payloadTypes));
            }
        }
        foreach (string raw in sdp.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.StartsWith("m=", StringComparison.Ordinal))
            {
                Close();
                kind = line[2..].Split(' ')[0];
                mid = null;
                payloadTypes = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            }
            else if (line.StartsWith("a=mid:", StringComparison.Ordinal))
            {
                mid = line[6..];
            }
            else if (line.StartsWith("a=rtpmap:", StringComparison.Ordinal))
            {
                string[] parts = line[9..].Split(' ', 2);
                string codec = parts.Length > 1 ? parts[1].Split('/')[0] : "";
                if (int.TryParse(parts[0], CultureInfo.InvariantCulture, out int pt))
                {
                    payloadTypes.TryAdd(codec, pt);
                }
            }
            else if (line.StartsWith("a=ice-ufrag:", StringComparison.Ordinal))
            {
                ufrag ??= line[12..];
            }
            else if (line.StartsWith("a=ice-pwd:", StringComparison.Ordinal))
            {
                pwd ??= line[10..];
            }
            else if (line.StartsWith("a=fingerprint:", StringComparison.Ordinal))
            {
                fingerprint ??= line[14..].Split(' ', 2)[^1];
            }
            else if (line.StartsWith("a=setup:", StringComparison.Ordinal))
            {
                setup ??= line[8..];
            }
            else if (line.StartsWith("a=candidate:", StringComparison.Ordinal) && candidate is null)
            {
                // RFC 8839 §5.1: foundation component transport priority address port "typ" type
                string[] f = line[12..].Split(' ');
                if (f.Length >= 8 && f[2].Equals("udp", StringComparison.OrdinalIgnoreCase) && f[1] == "1"
                    && IPAddress.TryParse(f[4], out IPAddress? address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
                    && int.TryParse(f[5], CultureInfo.InvariantCulture, out int port))
                {
                    candidate = new IPEndPoint(address, port);
                }
            }
        }
        Close();
        if (ufrag is null || pwd is null || fingerprint is null || setup is null || candidate is null)
        {
            throw new FormatException("The server's SDP lacks ICE credentials, a fingerprint, a setup role or an IPv4 UDP candidate:\n" + sdp);
        }
        return new RemoteDescription(ufrag, pwd, fingerprint, setup, candidate, sections);
    }

    private static void Require(RemoteSection section, string codec, int payloadType)
    {
        if (!section.PayloadTypes.TryGetValue(codec, out int pt) || pt != payloadType)
        {
            throw new FormatException($"Section {section.Mid} does not offer {codec} as payload type {payloadType}.");
        }
    }

    private static StringBuilder Session(LoadPeer peer, string mids)
    {
        var sdp = new StringBuilder(2048);
        sdp.Append("v=0\r\no=- ").Append(peer.AudioSsrc).Append(" 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        sdp.Append("a=group:BUNDLE ").Append(mids).Append("\r\na=msid-semantic: WMS\r\n");
        return sdp;
    }

    private static void Transport(StringBuilder sdp, LoadPeer peer, string mid, string setup)
    {
        sdp.Append("c=IN IP4 ").Append(peer.LocalEndPoint.Address).Append("\r\n");
        sdp.Append("a=candidate:1 1 udp 2122260223 ").Append(peer.LocalEndPoint.Address).Append(' ')
            .Append(peer.LocalEndPoint.Port).Append(" typ host\r\na=end-of-candidates\r\n");
        sdp.Append("a=ice-ufrag:").Append(peer.Ice.Local.LocalUfrag).Append("\r\na=ice-pwd:")
            .Append(peer.Ice.Local.LocalPassword).Append("\r\n");
        sdp.Append("a=fingerprint:sha-256 {FINGERPRINT}\r\na=setup:").Append(setup).Append("\r\n");
        sdp.Append("a=mid:").Append(mid).Append("\r\na=rtcp-mux\r\n");
    }

    private static void Audio(StringBuilder sdp, LoadPeer peer, string mid, string direction, string setup, uint audioSsrc)
    {
        sdp.Append("m=audio ").Append(peer.LocalEndPoint.Port).Append(" UDP/TLS/RTP/SAVPF 111\r\n");
        Transport(sdp, peer, mid, setup);
        sdp.Append("a=").Append(direction).Append("\r\n");
        sdp.Append("a=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n");
        Source(sdp, audioSsrc, peer, "a");
    }

    private static void Video(StringBuilder sdp, LoadPeer peer, string mid, string direction, string setup, uint videoSsrc)
    {
        sdp.Append("m=video ").Append(peer.LocalEndPoint.Port).Append(" UDP/TLS/RTP/SAVPF 96\r\n");
        Transport(sdp, peer, mid, setup);
        sdp.Append("a=").Append(direction).Append("\r\n");
        sdp.Append("a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 ccm fir\r\na=rtcp-fb:96 nack\r\na=rtcp-fb:96 nack pli\r\n");
        Source(sdp, videoSsrc, peer, "v");
    }

    private static void Source(StringBuilder sdp, uint ssrc, LoadPeer peer, string track)
    {
        if (ssrc == 0)
        {
            return;
        }
        string stream = "load" + peer.Index.ToString(CultureInfo.InvariantCulture);
        sdp.Append("a=msid:").Append(stream).Append(' ').Append(stream).Append(track).Append("\r\n");
        sdp.Append("a=ssrc:").Append(ssrc).Append(" cname:").Append(stream).Append("\r\n");
        sdp.Append("a=ssrc:").Append(ssrc).Append(" msid:").Append(stream).Append(' ').Append(stream).Append(track).Append("\r\n");
    }

    private static string Finish(StringBuilder sdp, string fingerprint) => sdp.Replace("{FINGERPRINT}", fingerprint).ToString();
}
