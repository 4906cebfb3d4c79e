using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace MediaRelay.Dtls;

/// <summary>
/// Our DTLS identity: an ECDSA P-256 self-signed certificate (as browsers use, RFC 8827 §6.5) whose SHA-256
/// fingerprint goes into a=fingerprint (RFC 8122 §5). Generate one per process or per peer connection.
/// </summary>
public sealed class DtlsCertificate
{
    private const string CommonName = "MediaRelay";

    private DtlsCertificate(AsymmetricKeyParameter privateKey, byte[] der)
    {
        PrivateKey = privateKey;
        Der = der;
        Fingerprint = DtlsFingerprint.ComputeSha256(der);
    }

    /// <summary>RFC 8122 hash function name of <see cref="Fingerprint"/>.</summary>
    public string FingerprintAlgorithm => DtlsFingerprint.Sha256;

    /// <summary>SHA-256 of the DER certificate, "AB:CD:..." uppercase hex with colons.</summary>
    public string Fingerprint { get; }

    internal AsymmetricKeyParameter PrivateKey { get; }

    internal byte[] Der { get; }

    /// <summary>Creates a fresh key pair and a self-signed certificate valid from now-1d to now+30d.</summary>
    public static DtlsCertificate Generate(TimeProvider? time = null)
    {
        var random = new SecureRandom();
        var keyGenerator = new ECKeyPairGenerator();
        keyGenerator.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, random));
        AsymmetricCipherKeyPair keyPair = keyGenerator.GenerateKeyPair();

        DateTime now = (time ?? TimeProvider.System).GetUtcNow().UtcDateTime;
        var name = new X509Name("CN=" + CommonName);
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(new BigInteger(64, random).Add(BigInteger.One));
        generator.SetIssuerDN(name);
        generator.SetSubjectDN(name);
        generator.SetNotBefore(now.AddDays(-1));
        generator.SetNotAfter(now.AddDays(30));
        generator.SetPublicKey(keyPair.Public);
        X509Certificate certificate = generator.Generate(
            new Asn1SignatureFactory("SHA256WITHECDSA", keyPair.Private, random));

        return new DtlsCertificate(keyPair.Private, certificate.GetEncoded());
    }
}
