using System.Runtime.InteropServices;

namespace MediaRelay.Srtp.Native;

/// <summary>
/// The slice of OpenSSL 3 libcrypto that SRTP needs: EVP ciphers (AES-CTR, AES-GCM) and HMAC_CTX.
/// https://docs.openssl.org/3.0/man3/EVP_EncryptInit/ and https://docs.openssl.org/3.0/man3/HMAC/
/// </summary>
internal static unsafe partial class LibCrypto
{
    public const string LibraryName = "libcrypto.so.3";

    public const int EvpCtrlGcmGetTag = 0x10;
    public const int EvpCtrlGcmSetTag = 0x11;

    private static readonly Lazy<bool> s_available = new(Probe);

    /// <summary>True when libcrypto 3 loads and exports every function used here.</summary>
    public static bool IsAvailable => s_available.Value;

    private static bool Probe()
    {
        if (!NativeLibrary.TryLoad(LibraryName, typeof(LibCrypto).Assembly, null, out nint handle))
        {
            return false;
        }

        string[] symbols =
        [
            "EVP_CIPHER_CTX_new", "EVP_CIPHER_CTX_free", "EVP_CIPHER_CTX_ctrl", "EVP_CipherInit_ex",
            "EVP_CipherUpdate", "EVP_CipherFinal_ex", "EVP_aes_128_ctr", "EVP_aes_128_gcm", "EVP_aes_256_gcm",
            "EVP_sha1", "HMAC_CTX_new", "HMAC_CTX_free", "HMAC_Init_ex", "HMAC_Update", "HMAC_Final",
        ];
        foreach (string symbol in symbols)
        {
            if (!NativeLibrary.TryGetExport(handle, symbol, out _))
            {
                return false;
            }
        }

        return true;
    }

    [LibraryImport(LibraryName)]
    public static partial nint EVP_CIPHER_CTX_new();

    [LibraryImport(LibraryName)]
    public static partial void EVP_CIPHER_CTX_free(nint ctx);

    [LibraryImport(LibraryName)]
    public static partial int EVP_CIPHER_CTX_ctrl(SafeCipherContextHandle ctx, int type, int arg, void* ptr);

    [LibraryImport(LibraryName)]
    public static partial nint EVP_aes_128_ctr();

    [LibraryImport(LibraryName)]
    public static partial nint EVP_aes_128_gcm();

    [LibraryImport(LibraryName)]
    public static partial nint EVP_aes_256_gcm();

    [LibraryImport(LibraryName)]
    public static partial int EVP_CipherInit_ex(SafeCipherContextHandle ctx, nint cipher, nint engine, byte* key, byte* iv, int enc);

    [LibraryImport(LibraryName)]
    public static partial int EVP_CipherUpdate(SafeCipherContextHandle ctx, byte* output, int* outputLength, byte* input, int inputLength);

    [LibraryImport(LibraryName)]
    public static partial int EVP_CipherFinal_ex(SafeCipherContextHandle ctx, byte* output, int* outputLength);

    [LibraryImport(LibraryName)]
    public static partial nint EVP_sha1();

    [LibraryImport(LibraryName)]
    public static partial nint HMAC_CTX_new();

    [LibraryImport(LibraryName)]
    public static partial void HMAC_CTX_free(nint ctx);

    [LibraryImport(LibraryName)]
    public static partial int HMAC_Init_ex(SafeHmacContextHandle ctx, byte* key, int keyLength, nint md, nint engine);

    [LibraryImport(LibraryName)]
    public static partial int HMAC_Update(SafeHmacContextHandle ctx, byte* data, nuint length);

    [LibraryImport(LibraryName)]
    public static partial int HMAC_Final(SafeHmacContextHandle ctx, byte* mac, uint* macLength);
}
