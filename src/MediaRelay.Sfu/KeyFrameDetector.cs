using MediaRelay.Rtp.Codecs;

namespace MediaRelay.Sfu;

/// <summary>Which keyframe test applies to a producer's payload (chosen once, when the codec is negotiated).</summary>
public enum KeyFrameFormat
{
    /// <summary>Audio, or a video codec we cannot inspect: every packet is a sync point.</summary>
    None,
    Vp8,
    Vp9,
    H264,
}

/// <summary>Codec-specific keyframe detection, dispatching to the payload descriptor parsers in MediaRelay.Rtp.</summary>
public static class KeyFrameDetector
{
    public static KeyFrameFormat FormatOf(RtpCodec codec) => codec.Name.ToUpperInvariant() switch
    {
        "VP8" => KeyFrameFormat.Vp8,
        "VP9" => KeyFrameFormat.Vp9,
        "H264" => KeyFrameFormat.H264,
        _ => KeyFrameFormat.None,
    };

    public static bool IsKeyFrame(KeyFrameFormat format, ReadOnlySpan<byte> payload) => format switch
    {
        KeyFrameFormat.Vp8 => Vp8PayloadDescriptor.IsKeyframe(payload),
        KeyFrameFormat.Vp9 => Vp9PayloadDescriptor.IsKeyframe(payload),
        KeyFrameFormat.H264 => H264Packetization.IsKeyframe(payload),
        _ => true,
    };
}
