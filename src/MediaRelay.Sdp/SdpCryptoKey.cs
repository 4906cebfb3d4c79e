using System.Diagnostics.CodeAnalysis;

namespace MediaRelay.Sdp;

/// <summary>
/// RFC 4568 §9.1/§6.1 key-param <c>&lt;key-method&gt;:&lt;key-info&gt;</c>; for the "inline" method key-info is
/// <c>&lt;base64 key||salt&gt;[|&lt;lifetime&gt;][|&lt;MKI&gt;:&lt;MKI length&gt;]</c>, e.g.
/// "inline:d0RmdmcmVCspeEc3QGZiNWpVLFJhQX1cfHAwJSoj|2^20|1:32". Other methods keep key-info whole in
/// <see cref="KeySalt"/>.
/// </summary>
public sealed record SdpCryptoKey(string Method, string KeySalt, string? Lifetime = null, uint? Mki = null, int? MkiLength = null)
{
    public static SdpCryptoKey Inline(ReadOnlySpan<byte> keyAndSalt, string? lifetime = null) =>
        new("inline", Convert.ToBase64String(keyAndSalt), lifetime);

    /// <summary>Decodes the base64 master key || master salt of an inline key.</summary>
    public bool TryGetKeySalt([NotNullWhen(true)] out byte[]? keySalt)
    {
        keySalt = null;
        var buffer = new byte[KeySalt.Length];
        if (Method != "inline" || !Convert.TryFromBase64String(KeySalt, buffer, out int written))
        {
            return false;
        }

        keySalt = buffer[..written];
        return true;
    }

    public static bool TryParse(string text, [NotNullWhen(true)] out SdpCryptoKey? key)
    {
        key = null;
        int colon = text.IndexOf(':');
        if (colon <= 0 || colon == text.Length - 1 || !SdpText.IsToken(text.AsSpan(0, colon)))
        {
            return false;
        }

        string method = text[..colon];
        string info = text[(colon + 1)..];
        if (method != "inline")
        {
            key = new SdpCryptoKey(method, info);
            return true;
        }

        string[] parts = info.Split('|');
        if (parts.Length > 3 || parts[0].Length == 0)
        {
            return false;
        }

        string? lifetime = null;
        uint? mki = null;
        int? mkiLength = null;
        for (int i = 1; i < parts.Length; i++)
        {
            int mkiColon = parts[i].IndexOf(':');
            if (mkiColon < 0 && lifetime is null && mki is null && parts[i].Length > 0)
            {
                lifetime = parts[i];
            }
            else if (mkiColon > 0 && mki is null
                && SdpText.TryParseUInt32(parts[i].AsSpan(0, mkiColon), out uint mkiValue)
                && SdpText.TryParseInt32(parts[i].AsSpan(mkiColon + 1), out int length) && length is >= 1 and <= 128)
            {
                mki = mkiValue;
                mkiLength = length;
            }
            else
            {
                return false;
            }
        }

        key = new SdpCryptoKey(method, parts[0], lifetime, mki, mkiLength);
        return true;
    }

    /// <summary>The key-param text.</summary>
    public override string ToString()
    {
        string text = Method + ":" + KeySalt;
        if (Lifetime is not null)
        {
            text += "|" + Lifetime;
        }

        if (Mki is uint mki)
        {
            text += "|" + SdpText.Format(mki) + ":" + SdpText.Format(MkiLength ?? 1);
        }

        return text;
    }
}
