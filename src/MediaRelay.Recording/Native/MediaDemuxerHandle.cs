using System.Runtime.InteropServices;

namespace MediaRelay.Recording.Native;

/// <summary>Owns a native mr_demuxer.</summary>
internal sealed class MediaDemuxerHandle : SafeHandle
{
    public MediaDemuxerHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        MediaRelayAvNative.mr_demuxer_free(handle);
        return true;
    }
}
