using MediaRelay.Core;
using MediaRelay.Srtp.Crypto;

namespace MediaRelay.Srtp.Native;

/// <summary>
/// AES-CM through EVP_aes_128_ctr (RFC 3711 §4.1.1 is exactly AES-CTR with the SRTP IV as initial counter) and
/// HMAC-SHA1 through a keyed HMAC_CTX that is re-initialised (key kept) per packet. Contexts are created once.
/// </summary>
internal sealed unsafe class NativeCounterModeCipher : SrtpCounterModeCipher
{
    private readonly SafeCipherContextHandle _cipher;
    private readonly SafeHmacContextHandle? _hmac;

    public NativeCounterModeCipher(ReadOnlySpan<byte> key, ReadOnlySpan<byte> authKey)
    {
        if (key.Length != 16)
        {
            ThrowHelper.ThrowArgument("AES-CM uses a 128-bit key.", nameof(key));
        }

        _cipher = SafeCipherContextHandle.Create();
        byte* zeroIv = stackalloc byte[16];
        new Span<byte>(zeroIv, 16).Clear();
        fixed (byte* k = key)
        {
            if (LibCrypto.EVP_CipherInit_ex(_cipher, LibCrypto.EVP_aes_128_ctr(), 0, k, zeroIv, 1) != 1)
            {
                _cipher.Dispose();
                ThrowHelper.ThrowInvalidOperation("EVP_CipherInit_ex(aes-128-ctr) failed.");
            }
        }

        if (!authKey.IsEmpty)
        {
            _hmac = SafeHmacContextHandle.Create();
            fixed (byte* a = authKey)
            {
                if (LibCrypto.HMAC_Init_ex(_hmac, a, authKey.Length, LibCrypto.EVP_sha1(), 0) != 1)
                {
                    Dispose();
                    ThrowHelper.ThrowInvalidOperation("HMAC_Init_ex(sha1) failed.");
                }
            }
        }
    }

    public override bool ApplyKeystream(ReadOnlySpan<byte> iv, Span<byte> data)
    {
        if (data.IsEmpty)
        {
            return true;
        }

        fixed (byte* ivp = iv)
        fixed (byte* d = data)
        {
            int written;
            return LibCrypto.EVP_CipherInit_ex(_cipher, 0, 0, null, ivp, 1) == 1
                && LibCrypto.EVP_CipherUpdate(_cipher, d, &written, d, data.Length) == 1;
        }
    }

    public override bool ComputeMac(ReadOnlySpan<byte> data, ReadOnlySpan<byte> suffix, Span<byte> mac)
    {
        SafeHmacContextHandle? hmac = _hmac;
        if (hmac is null || mac.Length < MacLength)
        {
            return false;
        }

        fixed (byte* d = data)
        fixed (byte* s = suffix)
        fixed (byte* m = mac)
        {
            uint length;
            return LibCrypto.HMAC_Init_ex(hmac, null, 0, 0, 0) == 1
                && LibCrypto.HMAC_Update(hmac, d, (nuint)data.Length) == 1
                && (suffix.IsEmpty || LibCrypto.HMAC_Update(hmac, s, (nuint)suffix.Length) == 1)
                && LibCrypto.HMAC_Final(hmac, m, &length) == 1;
        }
    }

    public override void Dispose()
    {
        _cipher.Dispose();
        _hmac?.Dispose();
    }
}
