using Org.BouncyCastle.Tls;

namespace MediaRelay.Dtls;

/// <summary>
/// use_srtp negotiation and key export shared by our BC client and server.
/// RFC 5764 §4.1.1 (extension), §4.1.2 (profiles), §4.2 (key derivation).
/// </summary>
internal static class DtlsSrtpNegotiation
{
    /// <summary>Cipher suites we offer/accept: ECDHE-ECDSA with AEAD ciphers (what Chromium offers).</summary>
    internal static readonly int[] CipherSuites =
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    internal static UseSrtpData CreateOffer(IReadOnlyList<ushort> profiles)
    {
        int[] ids = new int[profiles.Count];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = profiles[i];
        }

        return new UseSrtpData(ids, TlsUtilities.EmptyBytes);
    }

    /// <summary>Server side: the first profile of our preference list that the client offered.</summary>
    internal static bool TrySelect(IReadOnlyList<ushort> preference, int[] offered, out ushort profile)
    {
        for (int i = 0; i < preference.Count; i++)
        {
            ushort candidate = preference[i];
            if (DtlsSrtpProfile.IsSupported(candidate) && Array.IndexOf(offered, candidate) >= 0)
            {
                profile = candidate;
                return true;
            }
        }

        profile = 0;
        return false;
    }

    /// <summary>Client side: the server must echo exactly one profile we offered, with no MKI we didn't send.</summary>
    internal static ushort ValidateServerChoice(IReadOnlyList<ushort> offered, UseSrtpData? answer)
    {
        if (answer is null)
        {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "server did not negotiate use_srtp");
        }

        int[] chosen = answer.ProtectionProfiles;
        if (chosen.Length != 1 || chosen[0] < 0 || chosen[0] > ushort.MaxValue || answer.Mki.Length != 0)
        {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "bad use_srtp answer");
        }

        ushort profile = (ushort)chosen[0];
        for (int i = 0; i < offered.Count; i++)
        {
            if (offered[i] == profile)
            {
                return profile;
            }
        }

        throw new TlsFatalAlert(AlertDescription.illegal_parameter, "server chose an SRTP profile we did not offer");
    }

    /// <summary>Exports the RFC 5764 §4.2 keying material once the handshake is complete.</summary>
    internal static DtlsSrtpKeys ExportKeys(TlsContext context, ushort profile)
    {
        byte[] material = context.ExportKeyingMaterial(
            DtlsSrtpKeys.ExporterLabel, null, DtlsSrtpKeys.GetKeyingMaterialLength(profile));
        return DtlsSrtpKeys.FromKeyingMaterial(profile, material, isClient: !context.IsServer);
    }
}
