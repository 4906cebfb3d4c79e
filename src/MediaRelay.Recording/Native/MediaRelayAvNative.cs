using System.Runtime.InteropServices;

namespace MediaRelay.Recording.Native;

/// <summary>P/Invoke surface of native/mediarelay_av.h. All calls are blittable; ints &lt; 0 are AVERROR codes.</summary>
internal static unsafe partial class MediaRelayAvNative
{
    static MediaRelayAvNative()
    {
        MediaRelayAvLibrary.EnsureResolver();
    }

    [LibraryImport(MediaRelayAvLibrary.Name)]
    internal static partial int mr_abi_version();

    [LibraryImport(MediaRelayAvLibrary.Name)]
    internal static partial int mr_strerror(int code, byte* buffer, int capacity);

    [LibraryImport(MediaRelayAvLibrary.Name)]
    internal static partial MediaMuxerHandle mr_muxer_new();

    [LibraryImport(MediaRelayAvLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mr_muxer_open(MediaMuxerHandle muxer, string path, string container);

    [LibraryImport(MediaRelayAvLibrary.Name)]
    internal static partial int mr_muxer_add_video(MediaMuxerHandle muxer, int codec, int width, int height, byte* extradata, int extradataSize);

    [LibraryImport(MediaRelayAvLibrary.Name)]
    internal static partial int mr_muxer_add_audio(MediaMuxerHandle muxer, int codec, int sampleRate, int channels, byte* extradata, int extradataSize);

    [LibraryImport(MediaRelayAvLibrary.Name)]
    internal static partial int mr_muxer_begin(MediaMuxerHandle muxer);

    [LibraryImport(MediaRelayAvLibrary.Name)]
    internal static partial int mr_muxer_write(MediaMuxerHandle muxer, int stream, long ptsMicroseconds, int keyframe, byte* data, int size);

    [LibraryImport(MediaRelayAvLibrary.Name)]
    internal static partial int mr_muxer_finish(MediaMuxerHandle muxer);

    [LibraryImport(MediaRelayAvLibrary.Name)]
    internal static partial IntPtr mr_muxer_last_error(MediaMuxerHandle muxer);

    [LibraryImport(MediaRelayAvLibrary.Name)]
    internal static partial void mr_muxer_free(IntPtr muxer);

    [LibraryImport(MediaRelayAvLibrary.Name)]
    internal static partial MediaDemuxerHandle mr_demuxer_new();

    [LibraryImport(MediaRelayAvLibrary.Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mr_demuxer_open(MediaDemuxerHandle demuxer, string path);

    [LibraryImport(MediaRelayAvLibrary.Name)]
    internal static partial int mr_demuxer_stream_count(MediaDemuxerHandle demuxer);

    [LibraryImport(MediaRelayAvLibrary.Name)]
    internal static partial int mr_demuxer_stream_info(MediaDemuxerHandle demuxer, int stream, NativeStreamInfo* info);

    [LibraryImport(MediaRelayAvLibrary.Name)]
    internal static partial int mr_demuxer_extradata(MediaDemuxerHandle demuxer, int stream, byte* buffer, int capacity);

    [LibraryImport(MediaRelayAvLibrary.Name)]
    internal static partial int mr_demuxer_read(MediaDemuxerHandle demuxer, int* stream, long* ptsMicroseconds, int* keyframe, byte** data, int* size);

    [LibraryImport(MediaRelayAvLibrary.Name)]
    internal static partial IntPtr mr_demuxer_last_error(MediaDemuxerHandle demuxer);

    [LibraryImport(MediaRelayAvLibrary.Name)]
    internal static partial void mr_demuxer_free(IntPtr demuxer);

    /// <summary>av_strerror text for a code (cold path).</summary>
    internal static string Describe(int errorCode)
    {
        byte* buffer = stackalloc byte[128];
        mr_strerror(errorCode, buffer, 128);
        return Marshal.PtrToStringUTF8((IntPtr)buffer) ?? $"error {errorCode}";
    }
}
