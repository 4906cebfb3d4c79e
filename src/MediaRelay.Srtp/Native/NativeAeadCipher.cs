using MediaRelay.Core;
using MediaRelay.Srtp.Crypto;

namespace MediaRelay.Srtp.Native;

/// <summary>
/// AES-GCM through two keyed EVP_CIPHER_CTX (one per direction, so a packet only re-sets the nonce).
/// RFC 7714 §5; OpenSSL GCM usage per https://docs.openssl.org/3.0/man3/EVP_EncryptInit/#gcm-and-ocb-modes
/// </summary>
internal sealed unsafe class NativeAeadCipher : SrtpAeadCipher
{
    private readonly SafeCipherContextHandle _encrypt;
    private readonly SafeCipherContextHandle _decrypt;

    public NativeAeadCipher(ReadOnlySpan<byte> key)
    {
        if (key.Length is not (16 or 32))
        {
            ThrowHelper.ThrowArgument("AES-GCM uses a 128- or 256-bit key.", nameof(key));
        }

        nint cipher = key.Length == 16 ? LibCrypto.EVP_aes_128_gcm() : LibCrypto.EVP_aes_256_gcm();
        _encrypt = SafeCipherContextHandle.Create();
        _decrypt = SafeCipherContextHandle.Create();
        fixed (byte* k = key)
        {
            // Default GCM IV length is 12 bytes, which is what RFC 7714 uses.
            if (LibCrypto.EVP_CipherInit_ex(_encrypt, cipher, 0, k, null, 1) != 1
                || LibCrypto.EVP_CipherInit_ex(_decrypt, cipher, 0, k, null, 0) != 1)
            {
                Dispose();
                ThrowHelper.ThrowInvalidOperation("EVP_CipherInit_ex(aes-gcm) failed.");
            }
        }
    }

    public override bool Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> associatedData, Span<byte> data, Span<byte> tag)
    {
        if (nonce.Length != NonceLength || tag.Length < TagLength)
        {
            return false;
        }

        SafeCipherContextHandle ctx = _encrypt;
        fixed (byte* n = nonce)
        fixed (byte* a = associatedData)
        fixed (byte* d = data)
        fixed (byte* t = tag)
        {
            int written;
            byte* final = stackalloc byte[16];
            return LibCrypto.EVP_CipherInit_ex(ctx, 0, 0, null, n, 1) == 1
                && (associatedData.IsEmpty || LibCrypto.EVP_CipherUpdate(ctx, null, &written, a, associatedData.Length) == 1)
                && (data.IsEmpty || LibCrypto.EVP_CipherUpdate(ctx, d, &written, d, data.Length) == 1)
                && LibCrypto.EVP_CipherFinal_ex(ctx, final, &written) == 1
                && LibCrypto.EVP_CIPHER_CTX_ctrl(ctx, LibCrypto.EvpCtrlGcmGetTag, TagLength, t) == 1;
        }
    }

    public override bool Open(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> associatedData, Span<byte> data, ReadOnlySpan<byte> tag)
    {
        if (nonce.Length != NonceLength || tag.Length != TagLength)
        {
            return false;
        }

        SafeCipherContextHandle ctx = _decrypt;
        fixed (byte* n = nonce)
        fixed (byte* a = associatedData)
        fixed (byte* d = data)
        fixed (byte* t = tag)
        {
            int written;
            byte* final = stackalloc byte[16];
            return LibCrypto.EVP_CipherInit_ex(ctx, 0, 0, null, n, 0) == 1
                && (associatedData.IsEmpty || LibCrypto.EVP_CipherUpdate(ctx, null, &written, a, associatedData.Length) == 1)
                && (data.IsEmpty || LibCrypto.EVP_CipherUpdate(ctx, d, &written, d, data.Length) == 1)
                && LibCrypto.EVP_CIPHER_CTX_ctrl(ctx, LibCrypto.EvpCtrlGcmSetTag, TagLength, t) == 1
                && LibCrypto.EVP_CipherFinal_ex(ctx, final, &written) > 0;
        }
    }

    public override void Dispose()
    {
        _encrypt?.Dispose();
        _decrypt?.Dispose();
    }
}
