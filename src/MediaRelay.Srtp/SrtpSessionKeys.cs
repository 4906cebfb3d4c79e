using System.Security.Cryptography;

namespace MediaRelay.Srtp;

/// <summary>
/// Session keys of one SRTP crypto context, derived from the master key with the AES-CM PRF
/// (RFC 3711 §4.3.1, key_derivation_rate 0; labels 0..5 per §4.3.2; RFC 7714 §11 for AES-GCM).
/// </summary>
internal sealed class SrtpSessionKeys
{
    public const byte RtpEncryptionLabel = 0;
    public const byte RtpAuthenticationLabel = 1;
    public const byte RtpSaltLabel = 2;
    public const byte RtcpEncryptionLabel = 3;
    public const byte RtcpAuthenticationLabel = 4;
    public const byte RtcpSaltLabel = 5;

    public SrtpSessionKeys(byte[] rtpKey, byte[] rtpSalt, byte[] rtpAuthKey, byte[] rtcpKey, byte[] rtcpSalt, byte[] rtcpAuthKey)
    {
        RtpKey = rtpKey;
        RtpSalt = rtpSalt;
        RtpAuthKey = rtpAuthKey;
        RtcpKey = rtcpKey;
        RtcpSalt = rtcpSalt;
        RtcpAuthKey = rtcpAuthKey;
    }

    public byte[] RtpKey { get; }
    public byte[] RtpSalt { get; }
    public byte[] RtpAuthKey { get; }
    public byte[] RtcpKey { get; }
    public byte[] RtcpSalt { get; }
    public byte[] RtcpAuthKey { get; }

    public static SrtpSessionKeys Derive(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
    {
        SrtpProfileInfo.ValidateKeys(profile, masterKey, masterSalt);
        int keyLength = profile.MasterKeyLength;
        int saltLength = profile.MasterSaltLength;
        int authLength = profile.AuthKeyLength;
        using Aes prf = Aes.Create();
        prf.Key = masterKey.ToArray();
        return new SrtpSessionKeys(
            DeriveOne(prf, masterSalt, RtpEncryptionLabel, keyLength),
            DeriveOne(prf, masterSalt, RtpSaltLabel, saltLength),
            DeriveOne(prf, masterSalt, RtpAuthenticationLabel, authLength),
            DeriveOne(prf, masterSalt, RtcpEncryptionLabel, keyLength),
            DeriveOne(prf, masterSalt, RtcpSaltLabel, saltLength),
            DeriveOne(prf, masterSalt, RtcpAuthenticationLabel, authLength));
    }

    /// <summary>
    /// PRF_n(k_master, x) with x = (label || r) XOR master_salt, r = 0 (RFC 3711 §4.3.1). A 96-bit GCM salt is
    /// left-aligned in the 112-bit field and zero padded, as libsrtp and RFC 7714 §11 do.
    /// </summary>
    public static byte[] DeriveOne(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, byte label, int length)
    {
        using Aes prf = Aes.Create();
        prf.Key = masterKey.ToArray();
        return DeriveOne(prf, masterSalt, label, length);
    }

    private static byte[] DeriveOne(Aes prf, ReadOnlySpan<byte> masterSalt, byte label, int length)
    {
        if (length == 0)
        {
            return [];
        }

        int blocks = (length + 15) / 16;
        byte[] counters = new byte[blocks * 16];
        for (int b = 0; b < blocks; b++)
        {
            Span<byte> block = counters.AsSpan(b * 16, 16);
            masterSalt.CopyTo(block);
            block[7] ^= label;
            block[14] = (byte)(b >> 8);
            block[15] = (byte)b;
        }

        byte[] stream = prf.EncryptEcb(counters, PaddingMode.None);
        byte[] result = stream.AsSpan(0, length).ToArray();
        CryptographicOperations.ZeroMemory(stream);
        return result;
    }

    public void Clear()
    {
        CryptographicOperations.ZeroMemory(RtpKey);
        CryptographicOperations.ZeroMemory(RtpSalt);
        CryptographicOperations.ZeroMemory(RtpAuthKey);
        CryptographicOperations.ZeroMemory(RtcpKey);
        CryptographicOperations.ZeroMemory(RtcpSalt);
        CryptographicOperations.ZeroMemory(RtcpAuthKey);
    }
}
