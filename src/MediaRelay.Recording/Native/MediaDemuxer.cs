using System.Runtime.InteropServices;

namespace MediaRelay.Recording.Native;

/// <summary>
/// Reads packets from a media file through the native shim (tests, export). H.264 stored with avcC (MP4, Matroska)
/// comes back as Annex B access units, the form <see cref="MediaMuxer.Write"/> takes. Not thread-safe.
/// </summary>
public sealed class MediaDemuxer : IDisposable
{
    private readonly MediaDemuxerHandle handle;

    public unsafe MediaDemuxer(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        handle = MediaRelayAvNative.mr_demuxer_new();
        if (handle.IsInvalid)
        {
            MediaMuxerException.Throw("mr_demuxer_new", -12, "out of memory");
        }

        int result = MediaRelayAvNative.mr_demuxer_open(handle, path);
        if (result < 0)
        {
            string? message = LastError();
            handle.Dispose();
            MediaMuxerException.Throw("open", result, message);
        }

        int count = MediaRelayAvNative.mr_demuxer_stream_count(handle);
        var streams = new MediaStreamInfo[count];
        for (int i = 0; i < count; i++)
        {
            streams[i] = ReadStreamInfo(i);
        }

        Streams = streams;
    }

    public IReadOnlyList<MediaStreamInfo> Streams { get; }

    /// <summary>Reads the next packet; false at the end of the file. Throws <see cref="MediaMuxerException"/> on errors.</summary>
    public unsafe bool TryRead(out MediaPacket packet)
    {
        int stream, keyframe, size;
        long pts;
        byte* data;
        int result = MediaRelayAvNative.mr_demuxer_read(handle, &stream, &pts, &keyframe, &data, &size);
        if (result <= 0)
        {
            packet = default;
            if (result < 0)
            {
                MediaMuxerException.Throw("read", result, LastError());
            }

            return false;
        }

        packet = new MediaPacket(stream, pts, keyframe != 0, new ReadOnlySpan<byte>(data, size));
        return true;
    }

    public void Dispose() => handle.Dispose();

    private unsafe MediaStreamInfo ReadStreamInfo(int index)
    {
        NativeStreamInfo info;
        int result = MediaRelayAvNative.mr_demuxer_stream_info(handle, index, &info);
        if (result < 0)
        {
            MediaMuxerException.Throw("stream info", result, LastError());
        }

        byte[] extradata = new byte[info.ExtradataSize];
        fixed (byte* pointer = extradata)
        {
            MediaRelayAvNative.mr_demuxer_extradata(handle, index, pointer, extradata.Length);
        }

        string codecName = Marshal.PtrToStringUTF8((IntPtr)info.CodecName) ?? string.Empty;
        TimeSpan? duration = info.DurationMicroseconds >= 0 ? TimeSpan.FromMicroseconds(info.DurationMicroseconds) : null;
        return new MediaStreamInfo(index, (MediaKind)info.MediaType, (MediaCodec)info.Codec, codecName, info.Width,
            info.Height, info.SampleRate, info.Channels, duration, extradata);
    }

    private string? LastError() => Marshal.PtrToStringUTF8(MediaRelayAvNative.mr_demuxer_last_error(handle));
}
