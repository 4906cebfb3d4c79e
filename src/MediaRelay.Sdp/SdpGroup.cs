using System.Diagnostics.CodeAnalysis;

namespace MediaRelay.Sdp;

/// <summary>
/// RFC 5888 §5 grouping <c>a=group:&lt;semantics&gt; *(SP identification-tag)</c>; RFC 9143 §7.1 uses it for
/// "BUNDLE mid1 mid2" (the first mid is the offerer-tagged section).
/// </summary>
public sealed record SdpGroup(string Semantics, IReadOnlyList<string> Mids)
{
    public const string Bundle = "BUNDLE";

    public static bool TryParse(string value, [NotNullWhen(true)] out SdpGroup? group)
    {
        string[] f = SdpText.SplitFields(value);
        group = f.Length >= 1 && SdpText.IsToken(f[0]) ? new SdpGroup(f[0], f[1..]) : null;
        return group is not null;
    }

    /// <summary>The attribute value.</summary>
    public override string ToString() => Mids.Count == 0 ? Semantics : Semantics + " " + string.Join(' ', Mids);

    /// <summary>Value equality over the canonical attribute text (the list members compare by content).</summary>
    public bool Equals(SdpGroup? other) => other is not null && ToString() == other.ToString();

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);
}
