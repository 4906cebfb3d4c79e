using System.Diagnostics.CodeAnalysis;

namespace MediaRelay.Sdp;

/// <summary>
/// Session-level <c>a=msid-semantic: WMS [ids]</c> (draft-ietf-mmusic-msid; still emitted by Chromium, with a
/// space after the colon, which <see cref="ToString"/> reproduces).
/// </summary>
public sealed record SdpMsidSemantic(string Semantic, IReadOnlyList<string> Identifiers)
{
    public static bool TryParse(string value, [NotNullWhen(true)] out SdpMsidSemantic? semantic)
    {
        string[] f = SdpText.SplitFields(value);
        semantic = f.Length >= 1 && SdpText.IsToken(f[0]) ? new SdpMsidSemantic(f[0], f[1..]) : null;
        return semantic is not null;
    }

    /// <summary>The attribute value, e.g. " WMS *".</summary>
    public override string ToString() =>
        Identifiers.Count == 0 ? " " + Semantic : " " + Semantic + " " + string.Join(' ', Identifiers);

    /// <summary>Value equality over the canonical attribute text (the list members compare by content).</summary>
    public bool Equals(SdpMsidSemantic? other) => other is not null && ToString() == other.ToString();

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);
}
