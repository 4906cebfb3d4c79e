using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace MediaRelay.Sdp;

/// <summary>
/// RFC 8122 §5 certificate fingerprint: <c>a=fingerprint:&lt;hash-func&gt; &lt;fingerprint&gt;</c>, the fingerprint
/// being upper-case hex byte pairs separated by ':' (e.g. "sha-256 4A:AD:...").
/// </summary>
public sealed record SdpFingerprint(string Algorithm, string Value)
{
    /// <summary>Builds the canonical upper-case colon-separated form from a raw digest.</summary>
    public static SdpFingerprint FromDigest(string algorithm, ReadOnlySpan<byte> digest)
    {
        var sb = new StringBuilder(digest.Length * 3);
        for (int i = 0; i < digest.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(':');
            }

            sb.Append(digest[i].ToString("X2", CultureInfo.InvariantCulture));
        }

        return new SdpFingerprint(algorithm, sb.ToString());
    }

    public static bool TryParse(string value, [NotNullWhen(true)] out SdpFingerprint? fingerprint)
    {
        string[] f = SdpText.SplitFields(value);
        fingerprint = f.Length == 2 && SdpText.IsToken(f[0]) ? new SdpFingerprint(f[0], f[1]) : null;
        return fingerprint is not null;
    }

    /// <summary>Decodes the hex pairs; false when the value is not "XX:XX:..." hex.</summary>
    public bool TryGetDigest([NotNullWhen(true)] out byte[]? digest)
    {
        digest = null;
        string[] pairs = Value.Split(':');
        var bytes = new byte[pairs.Length];
        for (int i = 0; i < pairs.Length; i++)
        {
            if (pairs[i].Length != 2
                || !byte.TryParse(pairs[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return false;
            }
        }

        digest = bytes;
        return true;
    }

    /// <summary>True when algorithm (case-insensitive) and digest bytes match.</summary>
    public bool Matches(string algorithm, ReadOnlySpan<byte> digest) =>
        string.Equals(Algorithm, algorithm, StringComparison.OrdinalIgnoreCase)
        && TryGetDigest(out byte[]? mine) && digest.SequenceEqual(mine);

    /// <summary>The attribute value.</summary>
    public override string ToString() => Algorithm + " " + Value;
}
