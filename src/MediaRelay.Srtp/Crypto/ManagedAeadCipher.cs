using System.Security.Cryptography;

namespace MediaRelay.Srtp.Crypto;

/// <summary>
/// BCL AES-GCM through one reused <see cref="AesGcm"/> (RFC 7714). AesGcm has no non-throwing decrypt, so a
/// forged packet costs one caught <see cref="AuthenticationTagMismatchException"/>; the native backend avoids that.
/// </summary>
internal sealed class ManagedAeadCipher : SrtpAeadCipher
{
    private readonly AesGcm _gcm;

    public ManagedAeadCipher(ReadOnlySpan<byte> key) => _gcm = new AesGcm(key, TagLength);

    public override bool Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> associatedData, Span<byte> data, Span<byte> tag)
    {
        _gcm.Encrypt(nonce, data, data, tag, associatedData);
        return true;
    }

    public override bool Open(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> associatedData, Span<byte> data, ReadOnlySpan<byte> tag)
    {
        try
        {
            _gcm.Decrypt(nonce, data, tag, data, associatedData);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public override void Dispose() => _gcm.Dispose();
}
