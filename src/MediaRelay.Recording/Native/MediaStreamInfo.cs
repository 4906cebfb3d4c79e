namespace MediaRelay.Recording.Native;

/// <summary>One stream of a demuxed file, as FFmpeg reports it.</summary>
public sealed record MediaStreamInfo(
    int Index,
    MediaKind Kind,
    MediaCodec Codec,
    string CodecName,
    int Width,
    int Height,
    int SampleRate,
    int Channels,
    TimeSpan? Duration,
    byte[] Extradata);
