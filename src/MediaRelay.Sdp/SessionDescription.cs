using System.Diagnostics.CodeAnalysis;

namespace MediaRelay.Sdp;

/// <summary>
/// An RFC 8866 session description: the session-level fields of §5 followed by zero or more
/// <see cref="MediaDescription"/> sections. <see cref="Parse"/> reads it (CRLF or LF line ends);
/// <see cref="ToString"/> writes it back canonically (CRLF, §5 field order, single spaces).
/// </summary>
public sealed class SessionDescription
{
    /// <summary>v= (RFC 8866 §5.1); always 0.</summary>
    public int Version { get; set; }

    public SdpOrigin Origin { get; set; } = new();

    /// <summary>s= (§5.3); "-" when there is no meaningful name.</summary>
    public string SessionName { get; set; } = "-";

    /// <summary>i= (§5.4).</summary>
    public string? SessionInformation { get; set; }

    /// <summary>u= (§5.5).</summary>
    public string? Uri { get; set; }

    /// <summary>e= lines (§5.6).</summary>
    public List<string> Emails { get; } = [];

    /// <summary>p= lines (§5.6).</summary>
    public List<string> Phones { get; } = [];

    /// <summary>Session-level c= (§5.7), the default for sections without their own.</summary>
    public SdpConnection? Connection { get; set; }

    public List<SdpBandwidth> Bandwidths { get; } = [];

    /// <summary>t= lines with their r= lines (§5.9, §5.10); parse leaves at least one.</summary>
    public List<SdpTiming> Timings { get; } = [new SdpTiming()];

    /// <summary>The first t= line ("0 0" unless set).</summary>
    public SdpTiming Timing
    {
        get
        {
            if (Timings.Count == 0)
            {
                Timings.Add(new SdpTiming());
            }

            return Timings[0];
        }
        set
        {
            if (Timings.Count == 0)
            {
                Timings.Add(value);
            }
            else
            {
                Timings[0] = value;
            }
        }
    }

    /// <summary>z= (§5.11), kept as text.</summary>
    public string? TimeZones { get; set; }

    /// <summary>k= (obsolete, §5.12); kept for round trips only.</summary>
    public string? EncryptionKey { get; set; }

    public List<SdpAttribute> Attributes { get; } = [];

    public List<MediaDescription> Media { get; } = [];

    /// <summary>Parses an SDP body; throws <see cref="SdpParseException"/> with a line number on bad input.</summary>
    public static SessionDescription Parse(string sdp) => SdpReader.Read(sdp);

    public static bool TryParse(string? sdp, [NotNullWhen(true)] out SessionDescription? result, out string? error)
    {
        result = null;
        if (sdp is null)
        {
            error = "SDP: input is null";
            return false;
        }

        try
        {
            result = SdpReader.Read(sdp);
            error = null;
            return true;
        }
        catch (SdpParseException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    /// <summary>Canonical SDP text with CRLF line ends.</summary>
    public override string ToString() => SdpWriter.Write(this);

    // ---- session-level attributes ----

    /// <summary>RFC 5888 §5 a=group lines.</summary>
    public IReadOnlyList<SdpGroup> GetGroups() =>
        SdpAttributeListExtensions.Collect<SdpGroup>(Attributes, "group", SdpGroup.TryParse);

    /// <summary>RFC 9143 §7 "a=group:BUNDLE ..." lines.</summary>
    public IReadOnlyList<SdpGroup> GetBundleGroups() => GetGroups().Where(g => g.Semantics == SdpGroup.Bundle).ToList();

    /// <summary>The BUNDLE group containing <paramref name="mid"/>, if any.</summary>
    public SdpGroup? FindBundleGroup(string mid) => GetBundleGroups().FirstOrDefault(g => g.Mids.Contains(mid));

    /// <summary>Adds a=group after the existing group lines (first when there are none), as Chromium orders them.</summary>
    public void AddGroup(SdpGroup group)
    {
        int index = Attributes.FindLastIndex(a => a.Name == "group");
        Attributes.Insert(index + 1, new SdpAttribute("group", group.ToString()));
    }

    /// <summary>RFC 8839 §5.3 a=ice-lite.</summary>
    public bool IceLite { get => Attributes.Has("ice-lite"); set => Attributes.SetFlag("ice-lite", value); }

    /// <summary>RFC 8285 §6 a=extmap-allow-mixed (one- and two-byte header extensions mixed).</summary>
    public bool ExtmapAllowMixed
    {
        get => Attributes.Has("extmap-allow-mixed");
        set => Attributes.SetFlag("extmap-allow-mixed", value);
    }

    public string? IceUfrag { get => Attributes.GetValue("ice-ufrag"); set => Attributes.SetValue("ice-ufrag", value); }

    public string? IcePwd { get => Attributes.GetValue("ice-pwd"); set => Attributes.SetValue("ice-pwd", value); }

    public string? IceOptions { get => Attributes.GetValue("ice-options"); set => Attributes.SetValue("ice-options", value); }

    public SdpFingerprint? Fingerprint
    {
        get => SdpAttributeListExtensions.First<SdpFingerprint>(Attributes, "fingerprint", SdpFingerprint.TryParse);
        set => Attributes.SetValue("fingerprint", value?.ToString());
    }

    public SdpSetup? Setup
    {
        get => SdpKeywords.TryParseSetup(Attributes.GetValue("setup"), out SdpSetup s) ? s : null;
        set => Attributes.SetValue("setup", value?.ToSdpString());
    }

    public SdpMsidSemantic? MsidSemantic
    {
        get => SdpAttributeListExtensions.First<SdpMsidSemantic>(Attributes, "msid-semantic", SdpMsidSemantic.TryParse);
        set => Attributes.SetValue("msid-semantic", value?.ToString());
    }

    // ---- media-level else session-level resolution (RFC 8839 §5.4, RFC 8122 §5, RFC 8866 §6.7) ----

    public string? GetIceUfrag(MediaDescription media) => media.IceUfrag ?? IceUfrag;

    public string? GetIcePwd(MediaDescription media) => media.IcePwd ?? IcePwd;

    public string? GetIceOptions(MediaDescription media) => media.IceOptions ?? IceOptions;

    /// <summary>Media-level fingerprints when the section has any, else the session-level ones.</summary>
    public IReadOnlyList<SdpFingerprint> GetFingerprints(MediaDescription media)
    {
        IReadOnlyList<SdpFingerprint> own = media.GetFingerprints();
        return own.Count > 0
            ? own
            : SdpAttributeListExtensions.Collect<SdpFingerprint>(Attributes, "fingerprint", SdpFingerprint.TryParse);
    }

    public SdpFingerprint? GetFingerprint(MediaDescription media) => media.Fingerprint ?? Fingerprint;

    public SdpSetup? GetSetup(MediaDescription media) => media.Setup ?? Setup;

    /// <summary>The media direction, else the session-level one, else sendrecv.</summary>
    public SdpDirection GetDirection(MediaDescription media) =>
        SdpKeywords.FindDirection(media.Attributes) ?? SdpKeywords.FindDirection(Attributes) ?? SdpDirection.SendRecv;

    /// <summary>The media section's c=, else the session-level one.</summary>
    public SdpConnection? GetConnection(MediaDescription media) => media.Connection ?? Connection;

    /// <summary>The section whose a=mid equals <paramref name="mid"/>.</summary>
    public MediaDescription? FindMedia(string mid) => Media.FirstOrDefault(m => m.Mid == mid);
}
