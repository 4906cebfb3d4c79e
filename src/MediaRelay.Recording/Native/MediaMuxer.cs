using System.Runtime.InteropServices;

namespace MediaRelay.Recording.Native;

/// <summary>
/// Writes already-encoded frames (VP8, VP9, H.264 Annex B access units, Opus packets) into a WebM, Matroska or MP4
/// file through the native FFmpeg shim (native/mediarelay_av_mux.c). Order of calls: constructor (opens the file),
/// <see cref="AddVideo"/>/<see cref="AddAudio"/>, <see cref="Begin"/>, <see cref="Write"/>..., <see cref="Finish"/>.
/// Timestamps are microseconds on one clock shared by all streams; decode order must equal presentation order
/// (no B-frames). The shim holds one packet per stream to learn its duration, so a file finished after a couple of
/// frames is complete and playable. Disposing without <see cref="Finish"/> leaves an unfinished file.
/// Not thread-safe.
/// </summary>
public sealed class MediaMuxer : IDisposable
{
    private readonly MediaMuxerHandle handle;

    /// <summary>Creates (truncates) <paramref name="path"/>; throws <see cref="MediaMuxerException"/> when it cannot.</summary>
    public MediaMuxer(string path, MediaContainer container)
    {
        ArgumentNullException.ThrowIfNull(path);
        handle = MediaRelayAvNative.mr_muxer_new();
        if (handle.IsInvalid)
        {
            MediaMuxerException.Throw("mr_muxer_new", -12, "out of memory");
        }

        int result = MediaRelayAvNative.mr_muxer_open(handle, path, ContainerName(container));
        if (result < 0)
        {
            string? message = LastError();
            handle.Dispose();
            MediaMuxerException.Throw("open", result, message);
        }

        Path = path;
        Container = container;
    }

    public string Path { get; }

    public MediaContainer Container { get; }

    /// <summary>
    /// Adds a video stream and returns its index. H.264 <paramref name="extradata"/> is Annex B SPS/PPS or empty:
    /// when empty the shim takes them from the first packet that carries both (earlier H.264 packets are dropped,
    /// other streams' packets are queued until then).
    /// </summary>
    public unsafe int AddVideo(MediaCodec codec, int width, int height, ReadOnlySpan<byte> extradata = default)
    {
        int result;
        fixed (byte* pointer = extradata)
        {
            result = MediaRelayAvNative.mr_muxer_add_video(handle, (int)codec, width, height, pointer, extradata.Length);
        }

        ThrowIfFailed(result, "add video");
        return result;
    }

    /// <summary>
    /// Adds an Opus stream and returns its index. <paramref name="opusHead"/> is the RFC 7845 §5.1 identification
    /// header; when empty the shim writes one (pre-skip 0, gain 0, mapping family 0, so 1 or 2 channels).
    /// </summary>
    public unsafe int AddAudio(MediaCodec codec, int sampleRate, int channels, ReadOnlySpan<byte> opusHead = default)
    {
        int result;
        fixed (byte* pointer = opusHead)
        {
            result = MediaRelayAvNative.mr_muxer_add_audio(handle, (int)codec, sampleRate, channels, pointer, opusHead.Length);
        }

        ThrowIfFailed(result, "add audio");
        return result;
    }

    /// <summary>Writes the header (deferred until the H.264 parameter sets are known when none were given).</summary>
    public void Begin() => ThrowIfFailed(MediaRelayAvNative.mr_muxer_begin(handle), "begin");

    /// <summary>
    /// Writes one frame: an access unit (video) or an Opus packet. The bytes are copied; nothing is allocated on the
    /// managed heap. Timestamps not after the previous one of the stream are nudged one tick forward.
    /// </summary>
    public unsafe void Write(int stream, long ptsMicroseconds, bool keyframe, ReadOnlySpan<byte> frame)
    {
        int result;
        fixed (byte* pointer = frame)
        {
            result = MediaRelayAvNative.mr_muxer_write(handle, stream, ptsMicroseconds, keyframe ? 1 : 0, pointer, frame.Length);
        }

        if (result < 0)
        {
            Fail(result, "write");
        }
    }

    /// <summary>Flushes the held packets, writes the trailer (index, durations) and closes the file.</summary>
    public void Finish() => ThrowIfFailed(MediaRelayAvNative.mr_muxer_finish(handle), "finish");

    public void Dispose() => handle.Dispose();

    private static string ContainerName(MediaContainer container) => container switch
    {
        MediaContainer.Webm => "webm",
        MediaContainer.Matroska => "matroska",
        MediaContainer.Mp4 => "mp4",
        _ => ((int)container).ToString(System.Globalization.CultureInfo.InvariantCulture), // the shim rejects it
    };

    private void ThrowIfFailed(int result, string operation)
    {
        if (result < 0)
        {
            Fail(result, operation);
        }
    }

    private void Fail(int result, string operation) => MediaMuxerException.Throw(operation, result, LastError());

    private string? LastError() => Marshal.PtrToStringUTF8(MediaRelayAvNative.mr_muxer_last_error(handle));
}
