using System.Diagnostics.CodeAnalysis;

namespace MediaRelay.Sdp;

/// <summary>
/// RFC 5576 §4.2 <c>a=ssrc-group:&lt;semantics&gt; &lt;ssrc-id&gt; ...</c>; "FID" pairs a source with its RTX
/// (RFC 4588), "SIM" lists simulcast layers (legacy Chromium), "FEC-FR" FlexFEC.
/// </summary>
public sealed record SdpSsrcGroup(string Semantics, IReadOnlyList<uint> Ssrcs)
{
    public const string Fid = "FID";
    public const string Sim = "SIM";

    public static bool TryParse(string value, [NotNullWhen(true)] out SdpSsrcGroup? group)
    {
        group = null;
        string[] f = SdpText.SplitFields(value);
        if (f.Length < 1 || !SdpText.IsToken(f[0]))
        {
            return false;
        }

        var ssrcs = new uint[f.Length - 1];
        for (int i = 1; i < f.Length; i++)
        {
            if (!SdpText.TryParseUInt32(f[i], out ssrcs[i - 1]))
            {
                return false;
            }
        }

        group = new SdpSsrcGroup(f[0], ssrcs);
        return true;
    }

    /// <summary>The attribute value.</summary>
    public override string ToString()
    {
        var parts = new string[Ssrcs.Count + 1];
        parts[0] = Semantics;
        for (int i = 0; i < Ssrcs.Count; i++)
        {
            parts[i + 1] = SdpText.Format(Ssrcs[i]);
        }

        return string.Join(' ', parts);
    }

    /// <summary>Value equality over the canonical attribute text (the list members compare by content).</summary>
    public bool Equals(SdpSsrcGroup? other) => other is not null && ToString() == other.ToString();

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);
}
