using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace MediaRelay.Recording.Native;

/// <summary>A failure of the native FFmpeg shim (muxing or demuxing), with FFmpeg's negative AVERROR code.</summary>
public sealed class MediaMuxerException : Exception
{
    public MediaMuxerException(string message, int errorCode)
        : base(message)
    {
        ErrorCode = errorCode;
    }

    public MediaMuxerException()
    {
    }

    public MediaMuxerException(string message)
        : base(message)
    {
    }

    public MediaMuxerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The negative AVERROR code the shim returned (0 when not from native code).</summary>
    public int ErrorCode { get; }

    /// <summary>Cold path: throws with the shim's last message for the handle, or av_strerror text.</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void Throw(string operation, int errorCode, string? nativeMessage)
    {
        string detail = string.IsNullOrEmpty(nativeMessage) ? MediaRelayAvNative.Describe(errorCode) : nativeMessage;
        throw new MediaMuxerException($"{operation} failed ({errorCode}): {detail}", errorCode);
    }
}
