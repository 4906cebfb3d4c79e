namespace MediaRelay.Srtp.Crypto;

/// <summary>
/// One session's AES-GCM transform (RFC 7714 §5, §8, §9) with a 12-byte nonce and a 16-byte tag.
/// Not thread-safe: owned by one <see cref="SrtpContext"/>.
/// </summary>
internal abstract class SrtpAeadCipher : IDisposable
{
    public const int TagLength = 16;
    public const int NonceLength = 12;

    /// <summary>Encrypts <paramref name="data"/> in place and writes the tag.</summary>
    public abstract bool Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> associatedData, Span<byte> data, Span<byte> tag);

    /// <summary>Decrypts <paramref name="data"/> in place; false when the tag does not verify (data is then garbage).</summary>
    public abstract bool Open(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> associatedData, Span<byte> data, ReadOnlySpan<byte> tag);

    public abstract void Dispose();
}
