namespace MediaRelay.Sdp;

/// <summary>
/// One media section, RFC 8866 §5.14: <c>m=&lt;media&gt; &lt;port&gt;[/&lt;number of ports&gt;] &lt;proto&gt; &lt;fmt&gt; ...</c>
/// followed by its i=, c=, b=, k= and a= lines. Typed properties read and edit <see cref="Attributes"/>, which stays
/// the single source of truth (order preserved, unknown attributes kept). Malformed attribute values are skipped by
/// the typed getters, never thrown.
/// </summary>
public sealed class MediaDescription
{
    public MediaDescription()
    {
    }

    public MediaDescription(string kind, int port, string protocol)
    {
        Kind = kind;
        Port = port;
        Protocol = protocol;
    }

    /// <summary>"audio", "video", "application", or any other token.</summary>
    public string Kind { get; set; } = "audio";

    /// <summary>0 rejects the section (RFC 3264 §6); 9 is the WebRTC discard placeholder.</summary>
    public int Port { get; set; }

    public int? PortCount { get; set; }

    /// <summary>"UDP/TLS/RTP/SAVPF", "RTP/AVP", "RTP/SAVP", "UDP/DTLS/SCTP", ...</summary>
    public string Protocol { get; set; } = "UDP/TLS/RTP/SAVPF";

    /// <summary>Payload types for RTP profiles; other tokens (e.g. "webrtc-datachannel") otherwise.</summary>
    public List<string> Formats { get; } = [];

    /// <summary>i= media title.</summary>
    public string? Title { get; set; }

    public SdpConnection? Connection { get; set; }

    public List<SdpBandwidth> Bandwidths { get; } = [];

    /// <summary>k= (obsolete, RFC 8866 §5.12); kept for round trips only.</summary>
    public string? EncryptionKey { get; set; }

    public List<SdpAttribute> Attributes { get; } = [];

    /// <summary>True for the RTP profiles (payload types in <see cref="Formats"/>).</summary>
    public bool IsRtp => Protocol.Contains("RTP/", StringComparison.OrdinalIgnoreCase);

    // RFC 5888 §4 / RFC 9143 §7
    public string? Mid { get => Attributes.GetValue("mid"); set => Attributes.SetValue("mid", value); }

    /// <summary>RFC 8866 §6.7 direction; SendRecv when none is written.</summary>
    public SdpDirection Direction
    {
        get => SdpKeywords.FindDirection(Attributes) ?? SdpDirection.SendRecv;
        set => SdpKeywords.SetDirection(Attributes, value);
    }

    /// <summary>True when one of a=sendrecv/sendonly/recvonly/inactive is present.</summary>
    public bool HasDirection => SdpKeywords.FindDirection(Attributes) is not null;

    // RFC 8839 §5.4 (either level; see SessionDescription.GetIceUfrag for resolution)
    public string? IceUfrag { get => Attributes.GetValue("ice-ufrag"); set => Attributes.SetValue("ice-ufrag", value); }

    public string? IcePwd { get => Attributes.GetValue("ice-pwd"); set => Attributes.SetValue("ice-pwd", value); }

    /// <summary>RFC 8839 §5.6 space-separated option tags, e.g. "trickle".</summary>
    public string? IceOptions { get => Attributes.GetValue("ice-options"); set => Attributes.SetValue("ice-options", value); }

    /// <summary>RFC 8839 §5.1 / RFC 8840 §8.2 a=end-of-candidates.</summary>
    public bool EndOfCandidates { get => Attributes.Has("end-of-candidates"); set => Attributes.SetFlag("end-of-candidates", value); }

    /// <summary>First well-formed RFC 8122 a=fingerprint; setting replaces all of them.</summary>
    public SdpFingerprint? Fingerprint
    {
        get => SdpAttributeListExtensions.First<SdpFingerprint>(Attributes, "fingerprint", SdpFingerprint.TryParse);
        set => Attributes.SetValue("fingerprint", value?.ToString());
    }

    public IReadOnlyList<SdpFingerprint> GetFingerprints() =>
        SdpAttributeListExtensions.Collect<SdpFingerprint>(Attributes, "fingerprint", SdpFingerprint.TryParse);

    /// <summary>RFC 8842 §5.1 a=setup; null when absent or unrecognised.</summary>
    public SdpSetup? Setup
    {
        get => SdpKeywords.TryParseSetup(Attributes.GetValue("setup"), out SdpSetup s) ? s : null;
        set => Attributes.SetValue("setup", value?.ToSdpString());
    }

    // RFC 8035 / RFC 5761 §5.1.1
    public bool RtcpMux { get => Attributes.Has("rtcp-mux"); set => Attributes.SetFlag("rtcp-mux", value); }

    // RFC 5506 §5
    public bool RtcpRsize { get => Attributes.Has("rtcp-rsize"); set => Attributes.SetFlag("rtcp-rsize", value); }

    // RFC 8830 §2
    public SdpMsid? Msid
    {
        get => SdpAttributeListExtensions.First<SdpMsid>(Attributes, "msid", SdpMsid.TryParse);
        set => Attributes.SetValue("msid", value?.ToString());
    }

    // RFC 8853 §5.1
    public SdpSimulcast? Simulcast
    {
        get => SdpAttributeListExtensions.First<SdpSimulcast>(Attributes, "simulcast", SdpSimulcast.TryParse);
        set => Attributes.SetValue("simulcast", value?.ToString());
    }

    // RFC 3605 §2.1
    public SdpRtcp? Rtcp
    {
        get => SdpAttributeListExtensions.First<SdpRtcp>(Attributes, "rtcp", SdpRtcp.TryParse);
        set => Attributes.SetValue("rtcp", value?.ToString());
    }

    /// <summary>RFC 8866 §6.4 a=ptime (milliseconds); null when absent or not an integer.</summary>
    public int? Ptime
    {
        get => SdpText.TryParseInt32(Attributes.GetValue("ptime"), out int v) ? v : null;
        set => Attributes.SetValue("ptime", value is int v ? SdpText.Format(v) : null);
    }

    /// <summary>RFC 8866 §6.5 a=maxptime (milliseconds).</summary>
    public int? MaxPtime
    {
        get => SdpText.TryParseInt32(Attributes.GetValue("maxptime"), out int v) ? v : null;
        set => Attributes.SetValue("maxptime", value is int v ? SdpText.Format(v) : null);
    }

    /// <summary>
    /// Payload formats in m= line order, each with its rtpmap, fmtp and rtcp-fb (including "*" feedback). RFC 3551
    /// static payload types without an a=rtpmap get their table entry; other formats without one are skipped.
    /// </summary>
    public IReadOnlyList<SdpRtpMap> GetRtpMaps()
    {
        var result = new List<SdpRtpMap>();
        if (!IsRtp)
        {
            return result;
        }

        var byPayloadType = new Dictionary<int, SdpRtpMap>();
        foreach (string value in Attributes.GetValues("rtpmap"))
        {
            if (SdpRtpMap.TryParse(value, out SdpRtpMap? map))
            {
                byPayloadType.TryAdd(map.PayloadType, map);
            }
        }

        foreach (string format in Formats)
        {
            if (!SdpRtpMap.TryParsePayloadType(format, out int pt) || result.Exists(m => m.PayloadType == pt))
            {
                continue;
            }

            SdpRtpMap? map = byPayloadType.GetValueOrDefault(pt) ?? SdpStaticPayloadTypes.Lookup(pt);
            if (map is null)
            {
                continue;
            }

            map.Fmtp = GetFmtp(pt);
            map.RtcpFeedback.AddRange(GetRtcpFeedback(pt));
            result.Add(map);
        }

        return result;
    }

    /// <summary>The format for one payload type, or null when it is not offered.</summary>
    public SdpRtpMap? GetRtpMap(int payloadType)
    {
        foreach (SdpRtpMap map in GetRtpMaps())
        {
            if (map.PayloadType == payloadType)
            {
                return map;
            }
        }

        return null;
    }

    /// <summary>Parameters of the first "a=fmtp:&lt;pt&gt; ..." line for this payload type.</summary>
    public string? GetFmtp(int payloadType)
    {
        foreach (string value in Attributes.GetValues("fmtp"))
        {
            if (SdpText.TrySplitFirst(value, out string pt, out string parameters)
                && SdpRtpMap.TryParsePayloadType(pt, out int parsed) && parsed == payloadType)
            {
                return parameters;
            }
        }

        return null;
    }

    /// <summary>RFC 4585 §4.2 feedback for a payload type, "*" lines included, in attribute order.</summary>
    public List<string> GetRtcpFeedback(int payloadType)
    {
        var result = new List<string>();
        foreach (string value in Attributes.GetValues("rtcp-fb"))
        {
            if (SdpText.TrySplitFirst(value, out string pt, out string feedback) && feedback.Length > 0
                && (pt == "*" || (SdpRtpMap.TryParsePayloadType(pt, out int parsed) && parsed == payloadType)))
            {
                result.Add(feedback);
            }
        }

        return result;
    }

    /// <summary>
    /// Appends the payload type to <see cref="Formats"/> and writes its a=rtpmap, a=rtcp-fb and a=fmtp lines in the
    /// order Chromium uses.
    /// </summary>
    public void AddRtpMap(SdpRtpMap map)
    {
        string pt = SdpText.Format(map.PayloadType);
        if (!Formats.Contains(pt))
        {
            Formats.Add(pt);
        }

        Attributes.Add(new SdpAttribute("rtpmap", map.ToString()));
        foreach (string feedback in map.RtcpFeedback)
        {
            Attributes.Add(new SdpAttribute("rtcp-fb", pt + " " + feedback));
        }

        if (!string.IsNullOrEmpty(map.Fmtp))
        {
            Attributes.Add(new SdpAttribute("fmtp", pt + " " + map.Fmtp));
        }
    }

    // RFC 8285 §8
    public IReadOnlyList<SdpExtMap> GetExtMaps() =>
        SdpAttributeListExtensions.Collect<SdpExtMap>(Attributes, "extmap", SdpExtMap.TryParse);

    public void AddExtMap(SdpExtMap extMap) => Attributes.Add(new SdpAttribute("extmap", extMap.ToString()));

    // RFC 5576 §4.1
    public IReadOnlyList<SdpSsrc> GetSsrcs() =>
        SdpAttributeListExtensions.Collect<SdpSsrc>(Attributes, "ssrc", SdpSsrc.TryParse);

    public void AddSsrc(SdpSsrc ssrc) => Attributes.Add(new SdpAttribute("ssrc", ssrc.ToString()));

    // RFC 5576 §4.2
    public IReadOnlyList<SdpSsrcGroup> GetSsrcGroups() =>
        SdpAttributeListExtensions.Collect<SdpSsrcGroup>(Attributes, "ssrc-group", SdpSsrcGroup.TryParse);

    public void AddSsrcGroup(SdpSsrcGroup group) => Attributes.Add(new SdpAttribute("ssrc-group", group.ToString()));

    // RFC 8851 §4
    public IReadOnlyList<SdpRid> GetRids() =>
        SdpAttributeListExtensions.Collect<SdpRid>(Attributes, "rid", SdpRid.TryParse);

    public void AddRid(SdpRid rid) => Attributes.Add(new SdpAttribute("rid", rid.ToString()));

    // RFC 8839 §5.1
    public IReadOnlyList<SdpCandidate> GetCandidates() =>
        SdpAttributeListExtensions.Collect<SdpCandidate>(Attributes, "candidate", SdpCandidate.TryParse);

    /// <summary>Adds a=candidate before any a=end-of-candidates line.</summary>
    public void AddCandidate(SdpCandidate candidate)
    {
        var attribute = new SdpAttribute("candidate", candidate.ToString());
        int end = Attributes.FindIndex(a => a.Name == "end-of-candidates");
        if (end < 0)
        {
            Attributes.Add(attribute);
        }
        else
        {
            Attributes.Insert(end, attribute);
        }
    }

    // RFC 4568 §9.1
    public IReadOnlyList<SdpCrypto> GetCryptos() =>
        SdpAttributeListExtensions.Collect<SdpCrypto>(Attributes, "crypto", SdpCrypto.TryParse);

    public void AddCrypto(SdpCrypto crypto) => Attributes.Add(new SdpAttribute("crypto", crypto.ToString()));

    /// <summary>Appends a raw attribute (a=name or a=name:value).</summary>
    public void AddAttribute(string name, string? value = null) => Attributes.Add(new SdpAttribute(name, value));

    /// <summary>The section's lines, CRLF-terminated, starting with m=.</summary>
    public override string ToString()
    {
        var sb = new System.Text.StringBuilder();
        SdpWriter.WriteMedia(sb, this);
        return sb.ToString();
    }
}
