using MediaRelay.Rtp;

namespace MediaRelay.Recording.Media;

/// <summary>
/// Turns RTP packets, in sequence order (see <see cref="TrackReorderBuffer"/>), into whole frames. Push one packet,
/// then take frames until <see cref="TryTakeFrame"/> returns false. Never throws for bad input; zero allocation per
/// packet once its buffers have grown to the stream's largest frame.
/// </summary>
public interface IFrameAssembler
{
    /// <summary>Frames handed out.</summary>
    long FramesEmitted { get; }

    /// <summary>Frames dropped: incomplete (a packet lost), malformed, or waiting for a keyframe.</summary>
    long FramesDropped { get; }

    /// <summary>
    /// Feeds one packet. <paramref name="sequence"/> is the extended (unwrapped) sequence number: a step greater
    /// than one means packets were lost.
    /// </summary>
    void Push(RtpPacket packet, long sequence, long arrivalMicroseconds);

    /// <summary>The oldest ready frame; its bytes stay valid until the next <see cref="Push"/>.</summary>
    bool TryTakeFrame(out EncodedFrame frame);

    /// <summary>
    /// End of stream: a pending frame never closed by a marker bit is dropped (a crash may have cut it short).
    /// </summary>
    void Flush();
}
