using System.Security.Cryptography;
using System.Text;
using MediaRelay.Core;

namespace MediaRelay.Transport.Ice;

/// <summary>
/// Local ICE username fragment and password (RFC 8839 §5.4: ice-char = ALPHA / DIGIT / "+" / "/",
/// ufrag 4..256 chars, password 22..256 chars). Immutable; the UTF-8 forms are cached for the hot path.
/// </summary>
public sealed class IceCredentials
{
    private const string IceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /// <summary>Generated ufrag length: 8 ice-chars = 48 random bits (RFC 8445 §5.3 asks for ≥ 24).</summary>
    public const int GeneratedUfragLength = 8;

    /// <summary>Generated password length: 24 ice-chars = 144 random bits (RFC 8445 §5.3 asks for ≥ 128).</summary>
    public const int GeneratedPasswordLength = 24;

    private readonly byte[] _ufragUtf8;
    private readonly byte[] _passwordUtf8;

    public IceCredentials(string localUfrag, string localPassword)
    {
        ArgumentNullException.ThrowIfNull(localUfrag);
        ArgumentNullException.ThrowIfNull(localPassword);
        if (!IsValid(localUfrag, 4))
        {
            ThrowHelper.ThrowArgument("ICE ufrag must be 4..256 ice-chars.", nameof(localUfrag));
        }
        if (!IsValid(localPassword, 22))
        {
            ThrowHelper.ThrowArgument("ICE password must be 22..256 ice-chars.", nameof(localPassword));
        }
        LocalUfrag = localUfrag;
        LocalPassword = localPassword;
        _ufragUtf8 = Encoding.ASCII.GetBytes(localUfrag);
        _passwordUtf8 = Encoding.ASCII.GetBytes(localPassword);
    }

    public string LocalUfrag { get; }

    public string LocalPassword { get; }

    /// <summary>The ufrag as bytes (ice-chars are ASCII).</summary>
    public ReadOnlySpan<byte> LocalUfragBytes => _ufragUtf8;

    /// <summary>The password as bytes: the short-term MESSAGE-INTEGRITY key (RFC 8489 §9.1.1).</summary>
    public ReadOnlySpan<byte> LocalPasswordBytes => _passwordUtf8;

    /// <summary>Fresh random credentials from the cryptographic RNG (cold path: once per peer).</summary>
    public static IceCredentials Generate()
        => new(RandomNumberGenerator.GetString(IceChars, GeneratedUfragLength),
               RandomNumberGenerator.GetString(IceChars, GeneratedPasswordLength));

    /// <summary>True when every char is an ice-char and the length is within [minLength, 256].</summary>
    public static bool IsValid(string value, int minLength)
    {
        if (value.Length < minLength || value.Length > 256)
        {
            return false;
        }
        foreach (char c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '+' && c != '/')
            {
                return false;
            }
        }
        return true;
    }
}
