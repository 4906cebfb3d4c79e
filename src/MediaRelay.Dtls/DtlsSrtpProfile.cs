namespace MediaRelay.Dtls;

/// <summary>
/// SRTP protection profile ids carried in the use_srtp extension and their master key/salt sizes.
/// RFC 5764 §4.1.2 (AES-CM profiles), RFC 7714 §14.2 (AEAD AES-GCM profiles).
/// </summary>
public static class DtlsSrtpProfile
{
    public const ushort Aes128CmHmacSha1_80 = 0x0001;
    public const ushort Aes128CmHmacSha1_32 = 0x0002;
    public const ushort AeadAes128Gcm = 0x0007;
    public const ushort AeadAes256Gcm = 0x0008;

    public static bool IsSupported(ushort profile) =>
        profile is Aes128CmHmacSha1_80 or Aes128CmHmacSha1_32 or AeadAes128Gcm or AeadAes256Gcm;

    /// <summary>Master key length in bytes, 0 for an unknown profile.</summary>
    public static int GetMasterKeyLength(ushort profile) => profile switch
    {
        Aes128CmHmacSha1_80 or Aes128CmHmacSha1_32 or AeadAes128Gcm => 16,
        AeadAes256Gcm => 32,
        _ => 0,
    };

    /// <summary>Master salt length in bytes, 0 for an unknown profile.</summary>
    public static int GetMasterSaltLength(ushort profile) => profile switch
    {
        Aes128CmHmacSha1_80 or Aes128CmHmacSha1_32 => 14,
        AeadAes128Gcm or AeadAes256Gcm => 12,
        _ => 0,
    };
}
