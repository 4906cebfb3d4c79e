using MediaRelay.Core;

namespace MediaRelay.Srtp;

/// <summary>
/// Transform parameters of each <see cref="SrtpProfile"/>.
/// RFC 5764 §4.1.2 (AES-CM profiles), RFC 7714 §14.2 (AEAD profiles).
/// </summary>
public static class SrtpProfileInfo
{
    /// <summary>Size of the SRTCP E flag plus 31-bit index trailer (RFC 3711 §3.4).</summary>
    public const int RtcpIndexLength = 4;

    extension(SrtpProfile profile)
    {
        /// <summary>True when the profile is defined in RFC 5764/7714 and implemented here.</summary>
        public bool IsSupported => profile is SrtpProfile.AesCm128HmacSha1_80 or SrtpProfile.AesCm128HmacSha1_32
            or SrtpProfile.AeadAes128Gcm or SrtpProfile.AeadAes256Gcm;

        /// <summary>AEAD (AES-GCM, RFC 7714) rather than AES-CM + HMAC-SHA1 (RFC 3711).</summary>
        public bool IsAead => profile is SrtpProfile.AeadAes128Gcm or SrtpProfile.AeadAes256Gcm;

        /// <summary>Master (and session) encryption key length in bytes.</summary>
        public int MasterKeyLength => profile == SrtpProfile.AeadAes256Gcm ? 32 : 16;

        /// <summary>Master (and session) salt length in bytes: 14 for AES-CM, 12 for GCM.</summary>
        public int MasterSaltLength => profile.IsAead ? 12 : 14;

        /// <summary>Authentication tag appended to SRTP packets.</summary>
        public int RtpTagLength => profile switch
        {
            SrtpProfile.AesCm128HmacSha1_32 => 4,
            SrtpProfile.AesCm128HmacSha1_80 => 10,
            _ => 16,
        };

        /// <summary>Authentication tag appended to SRTCP packets (80 bits for both AES-CM profiles).</summary>
        public int RtcpTagLength => profile.IsAead ? 16 : 10;

        /// <summary>Session authentication key length (HMAC-SHA1: 160 bits; AEAD: none).</summary>
        public int AuthKeyLength => profile.IsAead ? 0 : 20;

        /// <summary>
        /// Largest number of bytes protect adds to a packet (SRTCP: tag + E/index trailer). Size send
        /// buffers as plaintext length + this value.
        /// </summary>
        public int MaxProtectOverhead => Math.Max(profile.RtpTagLength, profile.RtcpTagLength + RtcpIndexLength);
    }

    internal static void ValidateKeys(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
    {
        if (!profile.IsSupported)
        {
            ThrowHelper.ThrowArgument($"Unsupported SRTP profile {profile}.", nameof(profile));
        }

        if (masterKey.Length != profile.MasterKeyLength)
        {
            ThrowHelper.ThrowArgument($"{profile} needs a {profile.MasterKeyLength}-byte master key.", nameof(masterKey));
        }

        if (masterSalt.Length != profile.MasterSaltLength)
        {
            ThrowHelper.ThrowArgument($"{profile} needs a {profile.MasterSaltLength}-byte master salt.", nameof(masterSalt));
        }
    }
}
