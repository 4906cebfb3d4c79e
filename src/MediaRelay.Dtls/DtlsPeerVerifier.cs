using System.Security.Cryptography;
using MediaRelay.Core;
using Org.BouncyCastle.Tls;

namespace MediaRelay.Dtls;

/// <summary>
/// Checks the peer's end-entity certificate against the a=fingerprint of its SDP (RFC 8122 §5, RFC 5763 §5:
/// self-signed certificates are authenticated by fingerprint only, not by a CA chain).
/// </summary>
internal sealed class DtlsPeerVerifier
{
    internal const string MismatchReason = "fingerprint mismatch";

    private readonly HashAlgorithmName _hash;
    private readonly byte[] _expected;

    internal DtlsPeerVerifier(string algorithm, string fingerprint)
    {
        if (!DtlsFingerprint.TryGetHashAlgorithm(algorithm, out _hash))
        {
            ThrowHelper.ThrowArgument("Unsupported fingerprint hash function: " + algorithm, nameof(algorithm));
        }

        if (!DtlsFingerprint.TryParse(fingerprint, out _expected) || _expected.Length != HashLength(_hash))
        {
            ThrowHelper.ThrowArgument("Malformed certificate fingerprint.", nameof(fingerprint));
        }
    }

    /// <summary>Null when the first certificate matches the fingerprint, else the failure reason.</summary>
    internal string? Check(Certificate? chain)
    {
        if (chain is null || chain.IsEmpty)
        {
            return "peer sent no certificate";
        }

        byte[] der = chain.GetCertificateAt(0).GetEncoded();
        return DtlsFingerprint.Matches(_hash, _expected, der) ? null : MismatchReason;
    }

    private static int HashLength(HashAlgorithmName hash)
    {
        if (hash == HashAlgorithmName.SHA1)
        {
            return 20;
        }

        if (hash == HashAlgorithmName.SHA384)
        {
            return 48;
        }

        return hash == HashAlgorithmName.SHA512 ? 64 : 32;
    }
}
