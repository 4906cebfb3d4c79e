namespace MediaRelay.Recording.Media;

/// <summary>What <see cref="TrackReorderBuffer.Push"/> did with a packet.</summary>
public enum ReorderPushResult
{
    /// <summary>Stored; it comes out of <see cref="TrackReorderBuffer.TryPop"/> in sequence order.</summary>
    Buffered,

    /// <summary>The same sequence number is already buffered; dropped.</summary>
    Duplicate,

    /// <summary>Older than what was already delivered or declared lost (a late duplicate or a late packet); dropped.</summary>
    Late,

    /// <summary>Not an RTP packet (RFC 3550 §5.1 header checks failed); dropped.</summary>
    Invalid,

    /// <summary>The caller did not drain with <see cref="TrackReorderBuffer.TryPop"/> after the previous push; dropped.</summary>
    Overflow,
}
