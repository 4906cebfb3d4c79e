namespace MediaRelay.Sfu;

/// <summary>The kind of an RTP stream (RFC 8866 §5.14 media types this server forwards).</summary>
public enum MediaKind
{
    Audio,
    Video,
}

/// <summary>What a published track carries, so pages can lay it out (camera tile, large share view).</summary>
public enum TrackSource
{
    Microphone,
    Camera,
    Screen,
}
