using System.Runtime.InteropServices;

namespace MediaRelay.Recording.Native;

/// <summary>Owns a native mr_muxer; releasing it closes the file without a trailer when not finished.</summary>
internal sealed class MediaMuxerHandle : SafeHandle
{
    public MediaMuxerHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        MediaRelayAvNative.mr_muxer_free(handle);
        return true;
    }
}
