using System.Security.Cryptography;

namespace MediaRelay.Dtls;

/// <summary>
/// Certificate fingerprints as carried in SDP a=fingerprint.
/// RFC 8122 §5: hash-func SP fingerprint, fingerprint = 2UHEX *(":" 2UHEX) over the DER certificate.
/// </summary>
public static class DtlsFingerprint
{
    public const string Sha256 = "sha-256";

    /// <summary>Maps an RFC 8122 hash function name (case-insensitive) to a .NET hash.</summary>
    public static bool TryGetHashAlgorithm(string algorithm, out HashAlgorithmName hash)
    {
        switch (algorithm.ToLowerInvariant())
        {
            case "sha-256":
                hash = HashAlgorithmName.SHA256;
                return true;
            case "sha-384":
                hash = HashAlgorithmName.SHA384;
                return true;
            case "sha-512":
                hash = HashAlgorithmName.SHA512;
                return true;
            case "sha-1":
                hash = HashAlgorithmName.SHA1;
                return true;
            default:
                hash = default;
                return false;
        }
    }

    /// <summary>Hashes a DER certificate with the named algorithm.</summary>
    public static byte[] Hash(HashAlgorithmName hash, ReadOnlySpan<byte> certificateDer)
    {
        using var incremental = IncrementalHash.CreateHash(hash);
        incremental.AppendData(certificateDer);
        return incremental.GetHashAndReset();
    }

    /// <summary>The RFC 8122 text form of a SHA-256 fingerprint: "AB:CD:...".</summary>
    public static string ComputeSha256(ReadOnlySpan<byte> certificateDer) =>
        Format(SHA256.HashData(certificateDer));

    /// <summary>Uppercase hex pairs joined by colons.</summary>
    public static string Format(ReadOnlySpan<byte> hash)
    {
        if (hash.IsEmpty)
        {
            return string.Empty;
        }

        return string.Create(hash.Length * 3 - 1, hash.ToArray(), static (chars, bytes) =>
        {
            const string Digits = "0123456789ABCDEF";
            for (int i = 0; i < bytes.Length; i++)
            {
                int at = i * 3;
                if (i > 0)
                {
                    chars[at - 1] = ':';
                }

                chars[at] = Digits[bytes[i] >> 4];
                chars[at + 1] = Digits[bytes[i] & 0xF];
            }
        });
    }

    /// <summary>Parses "AB:cd:..." (hex case-insensitive, colons required between pairs). Never throws.</summary>
    public static bool TryParse(string? text, out byte[] hash)
    {
        hash = [];
        if (string.IsNullOrEmpty(text) || (text.Length + 1) % 3 != 0)
        {
            return false;
        }

        byte[] result = new byte[(text.Length + 1) / 3];
        for (int i = 0; i < result.Length; i++)
        {
            int at = i * 3;
            if (i > 0 && text[at - 1] != ':')
            {
                return false;
            }

            int high = HexValue(text[at]);
            int low = HexValue(text[at + 1]);
            if (high < 0 || low < 0)
            {
                return false;
            }

            result[i] = (byte)((high << 4) | low);
        }

        hash = result;
        return true;
    }

    /// <summary>True when the certificate's hash equals the expected one; compares in constant time.</summary>
    public static bool Matches(HashAlgorithmName hash, ReadOnlySpan<byte> expectedHash, ReadOnlySpan<byte> certificateDer)
    {
        byte[] actual = Hash(hash, certificateDer);
        return actual.Length == expectedHash.Length && CryptographicOperations.FixedTimeEquals(actual, expectedHash);
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
