namespace MediaRelay.Srtp;

/// <summary>
/// DTLS-SRTP protection profiles by their IANA identifiers.
/// RFC 5764 §4.1.2 (https://www.rfc-editor.org/rfc/rfc5764#section-4.1.2),
/// RFC 7714 §14.2 (https://www.rfc-editor.org/rfc/rfc7714#section-14.2).
/// </summary>
public enum SrtpProfile : ushort
{
    /// <summary>SRTP_AES128_CM_HMAC_SHA1_80: AES-CM 128, HMAC-SHA1 80-bit tag for SRTP and SRTCP.</summary>
    AesCm128HmacSha1_80 = 0x0001,

    /// <summary>SRTP_AES128_CM_HMAC_SHA1_32: AES-CM 128, 32-bit SRTP tag, 80-bit SRTCP tag.</summary>
    AesCm128HmacSha1_32 = 0x0002,

    /// <summary>SRTP_AEAD_AES_128_GCM: AES-GCM with a 128-bit key and a 16-byte tag.</summary>
    AeadAes128Gcm = 0x0007,

    /// <summary>SRTP_AEAD_AES_256_GCM: AES-GCM with a 256-bit key and a 16-byte tag.</summary>
    AeadAes256Gcm = 0x0008,
}
