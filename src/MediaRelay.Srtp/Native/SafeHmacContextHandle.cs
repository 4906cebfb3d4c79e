using System.Runtime.InteropServices;
using MediaRelay.Core;

namespace MediaRelay.Srtp.Native;

/// <summary>Owns an OpenSSL HMAC_CTX.</summary>
internal sealed class SafeHmacContextHandle : SafeHandle
{
    public SafeHmacContextHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public static SafeHmacContextHandle Create()
    {
        var result = new SafeHmacContextHandle();
        result.SetHandle(LibCrypto.HMAC_CTX_new());
        if (result.IsInvalid)
        {
            ThrowHelper.ThrowInvalidOperation("HMAC_CTX_new failed.");
        }

        return result;
    }

    protected override bool ReleaseHandle()
    {
        LibCrypto.HMAC_CTX_free(handle);
        return true;
    }
}
