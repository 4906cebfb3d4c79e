using System.Runtime.InteropServices;
using MediaRelay.Core;

namespace MediaRelay.Srtp.Native;

/// <summary>Owns an OpenSSL EVP_CIPHER_CTX.</summary>
internal sealed class SafeCipherContextHandle : SafeHandle
{
    public SafeCipherContextHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public static SafeCipherContextHandle Create()
    {
        var result = new SafeCipherContextHandle();
        result.SetHandle(LibCrypto.EVP_CIPHER_CTX_new());
        if (result.IsInvalid)
        {
            ThrowHelper.ThrowInvalidOperation("EVP_CIPHER_CTX_new failed.");
        }

        return result;
    }

    protected override bool ReleaseHandle()
    {
        LibCrypto.EVP_CIPHER_CTX_free(handle);
        return true;
    }
}
