namespace MediaRelay.Srtp.Crypto;

/// <summary>
/// One session's AES-CM keystream (RFC 3711 §4.1.1) and HMAC-SHA1 authentication (RFC 3711 §4.2.1).
/// Not thread-safe: owned by one <see cref="SrtpContext"/>.
/// </summary>
internal abstract class SrtpCounterModeCipher : IDisposable
{
    /// <summary>Full HMAC-SHA1 output size.</summary>
    public const int MacLength = 20;

    /// <summary>XORs the AES-CM keystream that starts at the 16-byte counter block <paramref name="iv"/> into <paramref name="data"/>.</summary>
    public abstract bool ApplyKeystream(ReadOnlySpan<byte> iv, Span<byte> data);

    /// <summary>HMAC-SHA1(auth key, data || suffix) into the 20-byte <paramref name="mac"/>.</summary>
    public abstract bool ComputeMac(ReadOnlySpan<byte> data, ReadOnlySpan<byte> suffix, Span<byte> mac);

    public abstract void Dispose();
}
