using System.Diagnostics.CodeAnalysis;

namespace MediaRelay.Sdp;

/// <summary>
/// RFC 5576 §4.1 source attribute: <c>a=ssrc:&lt;ssrc-id&gt; &lt;attribute&gt;[:&lt;value&gt;]</c>,
/// e.g. "1234 cname:user@host" or "1234 msid:stream track".
/// </summary>
public sealed record SdpSsrc(uint Ssrc, string Attribute, string? Value = null)
{
    public static bool TryParse(string value, [NotNullWhen(true)] out SdpSsrc? ssrc)
    {
        ssrc = null;
        if (!SdpText.TrySplitFirst(value, out string idText, out string rest) || !SdpText.TryParseUInt32(idText, out uint id))
        {
            return false;
        }

        int colon = rest.IndexOf(':');
        string attribute = colon < 0 ? rest.TrimEnd() : rest[..colon];
        if (!SdpText.IsToken(attribute))
        {
            return false;
        }

        ssrc = new SdpSsrc(id, attribute, colon < 0 ? null : rest[(colon + 1)..]);
        return true;
    }

    /// <summary>The attribute value.</summary>
    public override string ToString()
    {
        string head = SdpText.Format(Ssrc) + " " + Attribute;
        return Value is null ? head : head + ":" + Value;
    }
}
