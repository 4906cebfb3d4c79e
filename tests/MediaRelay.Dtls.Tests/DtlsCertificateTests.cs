using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MediaRelay.Dtls;

namespace MediaRelay.Dtls.Tests;

public sealed class DtlsCertificateTests
{
    [Fact]
    public void Generate_SelfSignedEcdsaP256WithExpectedNameAndValidity()
    {
        var now = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        DtlsCertificate certificate = DtlsCertificate.Generate(new FixedTimeProvider(now));
        using X509Certificate2 parsed = X509CertificateLoader.LoadCertificate(certificate.Der);

        Assert.Equal("CN=MediaRelay", parsed.Subject);
        Assert.Equal("CN=MediaRelay", parsed.Issuer);
        Assert.Equal(now.AddDays(-1).UtcDateTime, parsed.NotBefore.ToUniversalTime());
        Assert.Equal(now.AddDays(30).UtcDateTime, parsed.NotAfter.ToUniversalTime());
        Assert.Equal("1.2.840.10045.4.3.2", parsed.SignatureAlgorithm.Value); // ecdsa-with-SHA256

        using ECDsa key = parsed.GetECDsaPublicKey()!;
        Assert.Equal(256, key.KeySize);
        Assert.Equal("1.2.840.10045.3.1.7", key.ExportParameters(false).Curve.Oid.Value); // P-256

        // Self-signed: the signature over the TBSCertificate verifies with its own key.
        var reader = new System.Formats.Asn1.AsnReader(certificate.Der, System.Formats.Asn1.AsnEncodingRules.DER);
        var sequence = reader.ReadSequence();
        ReadOnlyMemory<byte> tbs = sequence.ReadEncodedValue();
        sequence.ReadEncodedValue(); // signatureAlgorithm
        byte[] signature = sequence.ReadBitString(out _);
        Assert.True(key.VerifyData(tbs.Span, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    [Fact]
    public void Fingerprint_IsSha256OfDer()
    {
        DtlsCertificate certificate = DtlsCertificate.Generate();
        Assert.Equal("sha-256", certificate.FingerprintAlgorithm);
        Assert.Equal(DtlsFingerprint.Format(SHA256.HashData(certificate.Der)), certificate.Fingerprint);
        Assert.Matches("^([0-9A-F]{2}:){31}[0-9A-F]{2}$", certificate.Fingerprint);
    }

    [Fact]
    public void Generate_TwiceGivesDifferentKeysAndSerials()
    {
        using X509Certificate2 a = X509CertificateLoader.LoadCertificate(DtlsCertificate.Generate().Der);
        using X509Certificate2 b = X509CertificateLoader.LoadCertificate(DtlsCertificate.Generate().Der);
        Assert.NotEqual(a.SerialNumber, b.SerialNumber);
        Assert.NotEqual(a.GetPublicKey(), b.GetPublicKey());
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
