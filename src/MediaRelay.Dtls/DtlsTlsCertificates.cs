using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace MediaRelay.Dtls;

/// <summary>Builds BouncyCastle's TLS certificate chain (a single self-signed entry) from our certificate.</summary>
internal static class DtlsTlsCertificates
{
    internal static Certificate Create(BcTlsCrypto crypto, DtlsCertificate certificate) =>
        new(new TlsCertificate[] { new BcTlsCertificate(crypto, certificate.Der) });
}
