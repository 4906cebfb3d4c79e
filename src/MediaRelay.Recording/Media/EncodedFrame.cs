namespace MediaRelay.Recording.Media;

/// <summary>
/// One whole encoded frame produced by a frame assembler: a VP8 frame (RFC 7741 §4), an Opus packet (RFC 7587 §4.2)
/// or an H.264 access unit in Annex B form (RFC 6184 §5, ITU-T H.264 Annex B start codes).
/// A view: <see cref="Data"/> lives in the assembler's reused buffer and stays valid until the assembler's next
/// <c>Push</c>; copy it (or hand it to the muxer) before that.
/// </summary>
public readonly ref struct EncodedFrame
{
    public EncodedFrame(ReadOnlySpan<byte> data, long timestamp, bool isKeyframe, int width, int height, long arrivalMicroseconds)
    {
        Data = data;
        Timestamp = timestamp;
        IsKeyframe = isKeyframe;
        Width = width;
        Height = height;
        ArrivalMicroseconds = arrivalMicroseconds;
    }

    /// <summary>The frame bytes (for H.264: 00 00 00 01 + NAL unit, repeated).</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>RTP timestamp extended to 64 bits across wrap-around (in the codec's clock rate).</summary>
    public long Timestamp { get; }

    /// <summary>True for a VP8 keyframe, an H.264 access unit with an IDR slice, and every Opus frame.</summary>
    public bool IsKeyframe { get; }

    /// <summary>Video width in pixels from the latest keyframe / SPS; 0 when unknown or audio.</summary>
    public int Width { get; }

    /// <summary>Video height in pixels from the latest keyframe / SPS; 0 when unknown or audio.</summary>
    public int Height { get; }

    /// <summary>Arrival time of the frame's last packet (journal clock, microseconds).</summary>
    public long ArrivalMicroseconds { get; }

    public int Length => Data.Length;
}
