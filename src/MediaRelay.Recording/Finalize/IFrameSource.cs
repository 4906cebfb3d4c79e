using MediaRelay.Recording.Journal;

namespace MediaRelay.Recording.Finalize;

/// <summary>
/// Whole frames of one output stream in time order on the room clock: one journal's (<see cref="TrackFrameSource"/>)
/// or the best of a simulcast producer's layer journals (<see cref="LayeredVideoSource"/>). Created before its first
/// frame; <see cref="Frame"/> is valid until the next <see cref="MoveNext"/>.
/// </summary>
internal interface IFrameSource : IDisposable
{
    TrackJournalMetadata Metadata { get; }

    bool IsVideo { get; }

    /// <summary>The current frame's time on the room clock, µs.</summary>
    long Time { get; }

    bool IsKeyframe { get; }

    /// <summary>The picture size from the latest key frame that carried one (0 before).</summary>
    int Width { get; }

    int Height { get; }

    ReadOnlySpan<byte> Frame { get; }

    /// <summary>Frames handed out so far.</summary>
    long Frames { get; }

    long LostPackets { get; }

    /// <summary>True when a journal ended without its end record (the server died).</summary>
    bool Truncated { get; }

    /// <summary>Advances to the next whole frame; false at the end.</summary>
    bool MoveNext();
}
