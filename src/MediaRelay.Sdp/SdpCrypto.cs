using System.Diagnostics.CodeAnalysis;

namespace MediaRelay.Sdp;

/// <summary>
/// RFC 4568 §9.1 SDES crypto attribute:
/// <c>a=crypto:&lt;tag&gt; &lt;crypto-suite&gt; &lt;key-params&gt; [&lt;session-param&gt; ...]</c>, key-params being
/// one or more ';'-separated <see cref="SdpCryptoKey"/>, e.g.
/// "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32 KDR=1".
/// </summary>
public sealed record SdpCrypto(uint Tag, string Suite, IReadOnlyList<SdpCryptoKey> Keys, IReadOnlyList<string> SessionParameters)
{
    public SdpCrypto(uint tag, string suite, SdpCryptoKey key)
        : this(tag, suite, [key], [])
    {
    }

    public static bool TryParse(string value, [NotNullWhen(true)] out SdpCrypto? crypto)
    {
        crypto = null;
        string[] f = SdpText.SplitFields(value);
        if (f.Length < 3 || f[0].Length > 9 || !SdpText.TryParseUInt32(f[0], out uint tag) || !SdpText.IsToken(f[1]))
        {
            return false;
        }

        var keys = new List<SdpCryptoKey>();
        foreach (string keyText in f[2].Split(';'))
        {
            if (!SdpCryptoKey.TryParse(keyText, out SdpCryptoKey? key))
            {
                return false;
            }

            keys.Add(key);
        }

        crypto = new SdpCrypto(tag, f[1], keys, f[3..]);
        return true;
    }

    /// <summary>The attribute value.</summary>
    public override string ToString()
    {
        string text = SdpText.Format(Tag) + " " + Suite + " " + string.Join(';', Keys);
        return SessionParameters.Count == 0 ? text : text + " " + string.Join(' ', SessionParameters);
    }

    /// <summary>Value equality over the canonical attribute text (the list members compare by content).</summary>
    public bool Equals(SdpCrypto? other) => other is not null && ToString() == other.ToString();

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);
}
