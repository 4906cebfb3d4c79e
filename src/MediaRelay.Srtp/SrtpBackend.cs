namespace MediaRelay.Srtp;

/// <summary>Which crypto implementation an <see cref="SrtpContext"/> uses.</summary>
public enum SrtpBackend : byte
{
    /// <summary>The faster measured backend (OpenSSL libcrypto), falling back to Managed when it cannot be loaded.</summary>
    Auto = 0,

    /// <summary>BCL only: AES-ECB keystream + IncrementalHash HMAC, or AesGcm.</summary>
    Managed,

    /// <summary>OpenSSL 3 libcrypto EVP through P/Invoke; throws at construction when unavailable.</summary>
    Native,
}
