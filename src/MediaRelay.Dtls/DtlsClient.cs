using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace MediaRelay.Dtls;

/// <summary>
/// Our BouncyCastle DTLS 1.2 client (RFC 6347) for DTLS-SRTP (RFC 5764): offers our use_srtp profiles,
/// ECDHE-ECDSA AEAD suites and extended master secret (RFC 7627); authenticates the server's self-signed
/// certificate by SDP fingerprint (RFC 5763 §5) and answers the certificate request with ours.
/// </summary>
internal sealed class DtlsClient : DefaultTlsClient, TlsAuthentication, IDtlsHandshakePeer
{
    private readonly DtlsCertificate _certificate;
    private readonly DtlsPeerVerifier _verifier;
    private readonly DtlsSessionOptions _options;
    private ushort _profile;

    internal DtlsClient(BcTlsCrypto crypto, DtlsCertificate certificate, DtlsPeerVerifier verifier,
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

    public override IDictionary<int, byte[]> GetClientExtensions()
    {
        IDictionary<int, byte[]> extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetClientExtensions());
        TlsSrtpUtilities.AddUseSrtpExtension(extensions, DtlsSrtpNegotiation.CreateOffer(_options.SrtpProfiles));
        if (_options.ExtraClientExtensions is { } extra)
        {
            foreach (KeyValuePair<int, byte[]> pair in extra)
            {
                extensions[pair.Key] = pair.Value;
            }
        }

        return extensions;
    }

    public override void ProcessServerExtensions(IDictionary<int, byte[]> serverExtensions)
    {
        base.ProcessServerExtensions(serverExtensions);
        _profile = DtlsSrtpNegotiation.ValidateServerChoice(
            _options.SrtpProfiles, TlsSrtpUtilities.GetUseSrtpExtension(serverExtensions));
    }

    public override TlsAuthentication GetAuthentication() => this;

    public void NotifyServerCertificate(TlsServerCertificate serverCertificate)
    {
        FailureReason = _verifier.Check(serverCertificate.Certificate);
        if (FailureReason is not null)
        {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, FailureReason);
        }
    }

    public TlsCredentials GetClientCredentials(CertificateRequest certificateRequest) =>
        new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(m_context), (BcTlsCrypto)Crypto,
            _certificate.PrivateKey, DtlsTlsCertificates.Create((BcTlsCrypto)Crypto, _certificate),
            SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        Keys = DtlsSrtpNegotiation.ExportKeys(m_context, _profile);
    }
}
