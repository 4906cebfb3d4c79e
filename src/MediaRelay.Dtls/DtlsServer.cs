using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace MediaRelay.Dtls;

/// <summary>
/// Our BouncyCastle DTLS 1.2 server (RFC 6347) for DTLS-SRTP (RFC 5764): ECDHE-ECDSA AEAD suites, extended
/// master secret (RFC 7627), a mandatory client certificate checked by SDP fingerprint (RFC 5763 §5).
/// A ClientHello offering DTLS 1.3 in supported_versions negotiates 1.2 since 1.2 is all we list.
/// </summary>
internal sealed class DtlsServer : DefaultTlsServer, IDtlsHandshakePeer
{
    private readonly DtlsCertificate _certificate;
    private readonly DtlsPeerVerifier _verifier;
    private readonly DtlsSessionOptions _options;
    private ushort _profile;

    internal DtlsServer(BcTlsCrypto crypto, DtlsCertificate certificate, DtlsPeerVerifier verifier,
        DtlsSessionOptions options)
        : base(crypto)
    {
        _certificate = certificate;
        _verifier = verifier;
        _options = options;
    }

    /// <summary>SRTP keys, set when the handshake completes.</summary>
    public DtlsSrtpKeys? Keys { get; private set; }

    /// <summary>Our own reason for a fatal alert we raised (e.g. fingerprint mismatch), if any.</summary>
    public string? FailureReason { get; private set; }

    public override int GetHandshakeTimeoutMillis() => (int)Math.Min(_options.HandshakeTimeout.TotalMilliseconds, int.MaxValue);

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    protected override int[] GetSupportedCipherSuites() =>
        TlsUtilities.GetSupportedCipherSuites(Crypto, DtlsSrtpNegotiation.CipherSuites);

    public override bool RequiresExtendedMasterSecret() => true;

    protected override TlsCredentialedSigner GetECDsaSignerCredentials() =>
        new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(m_context), (BcTlsCrypto)Crypto,
            _certificate.PrivateKey, DtlsTlsCertificates.Create((BcTlsCrypto)Crypto, _certificate),
            SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));

    public override void ProcessClientExtensions(IDictionary<int, byte[]> clientExtensions)
    {
        base.ProcessClientExtensions(clientExtensions);

        UseSrtpData? offer = TlsSrtpUtilities.GetUseSrtpExtension(clientExtensions);
        if (offer is null)
        {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "client did not offer use_srtp");
        }

        if (!DtlsSrtpNegotiation.TrySelect(_options.SrtpProfiles, offer.ProtectionProfiles, out _profile))
        {
            FailureReason = "no common SRTP profile";
            throw new TlsFatalAlert(AlertDescription.handshake_failure, FailureReason);
        }
    }

    public override IDictionary<int, byte[]> GetServerExtensions()
    {
        IDictionary<int, byte[]> extensions = base.GetServerExtensions()
            ?? new Dictionary<int, byte[]>();
        TlsSrtpUtilities.AddUseSrtpExtension(extensions, new UseSrtpData([_profile], TlsUtilities.EmptyBytes));
        return extensions;
    }

    /// <summary>RFC 5763 §5: the server MUST request a certificate from the client.</summary>
    public override CertificateRequest GetCertificateRequest()
    {
        short[] types = [ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign];
        var algorithms = TlsUtilities.GetDefaultSupportedSignatureAlgorithms(m_context);
        return new CertificateRequest(types, algorithms, null);
    }

    public override void NotifyClientCertificate(Certificate clientCertificate)
    {
        FailureReason = _verifier.Check(clientCertificate);
        if (FailureReason is not null)
        {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, FailureReason);
        }
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        Keys = DtlsSrtpNegotiation.ExportKeys(m_context, _profile);
    }
}
