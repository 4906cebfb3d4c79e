using MediaRelay.Core;

namespace MediaRelay.Dtls;

/// <summary>
/// SRTP master keys exported from a finished DTLS handshake.
/// RFC 5764 §4.2: keying material = client_write_SRTP_master_key | server_write_SRTP_master_key |
/// client_write_SRTP_master_salt | server_write_SRTP_master_salt, exported with label "EXTRACTOR-dtls_srtp".
/// "Local" is what we protect with (client keys when we are the DTLS client), "Remote" what we unprotect with.
/// </summary>
public sealed class DtlsSrtpKeys
{
    /// <summary>RFC 5705 exporter label for DTLS-SRTP.</summary>
    public const string ExporterLabel = "EXTRACTOR-dtls_srtp";

    public DtlsSrtpKeys(ushort profileId, byte[] localMasterKey, byte[] localMasterSalt, byte[] remoteMasterKey,
        byte[] remoteMasterSalt)
    {
        ProfileId = profileId;
        LocalMasterKey = localMasterKey;
        LocalMasterSalt = localMasterSalt;
        RemoteMasterKey = remoteMasterKey;
        RemoteMasterSalt = remoteMasterSalt;
    }

    /// <summary>IANA SRTP protection profile id (see <see cref="DtlsSrtpProfile"/>).</summary>
    public ushort ProfileId { get; }

    public byte[] LocalMasterKey { get; }

    public byte[] LocalMasterSalt { get; }

    public byte[] RemoteMasterKey { get; }

    public byte[] RemoteMasterSalt { get; }

    /// <summary>Length of the exporter output for a profile: 2 × (key + salt).</summary>
    public static int GetKeyingMaterialLength(ushort profileId) =>
        2 * (DtlsSrtpProfile.GetMasterKeyLength(profileId) + DtlsSrtpProfile.GetMasterSaltLength(profileId));

    /// <summary>Splits exported keying material (RFC 5764 §4.2 layout) into local/remote key and salt.</summary>
    public static DtlsSrtpKeys FromKeyingMaterial(ushort profileId, ReadOnlySpan<byte> material, bool isClient)
    {
        int keyLength = DtlsSrtpProfile.GetMasterKeyLength(profileId);
        int saltLength = DtlsSrtpProfile.GetMasterSaltLength(profileId);
        if (keyLength == 0)
        {
            ThrowHelper.ThrowArgument("Unsupported SRTP protection profile.", nameof(profileId));
        }

        if (material.Length != 2 * (keyLength + saltLength))
        {
            ThrowHelper.ThrowArgument("Keying material has the wrong length for the profile.", nameof(material));
        }

        byte[] clientKey = material.Slice(0, keyLength).ToArray();
        byte[] serverKey = material.Slice(keyLength, keyLength).ToArray();
        byte[] clientSalt = material.Slice(2 * keyLength, saltLength).ToArray();
        byte[] serverSalt = material.Slice(2 * keyLength + saltLength, saltLength).ToArray();
        return isClient
            ? new DtlsSrtpKeys(profileId, clientKey, clientSalt, serverKey, serverSalt)
            : new DtlsSrtpKeys(profileId, serverKey, serverSalt, clientKey, clientSalt);
    }
}
