namespace MediaRelay.Recording.Finalize;

/// <summary>A file the finalizer wrote: one per participant ("participant") and one for the whole room ("room").</summary>
public sealed record FinalizedFile(string Name, string Path, string Scope, string Container, long SizeBytes, bool Encrypted);

/// <summary>
/// What one track contributed: frames written (from the journal; silence not included), packets lost, whether its
/// journal ended in a crash, and for audio the holes filled with Opus silence (as written in every file).
/// </summary>
public sealed record FinalizedTrack(string TrackId, string ParticipantId, string Kind, string Codec, long Frames,
    long LostPackets, bool Truncated)
{
    /// <summary>Holes in the audio timestamps filled with silence.</summary>
    public long GapsBridged { get; init; }

    /// <summary>Holes longer than the bridging cap (10 minutes), left as holes.</summary>
    public long GapsLeft { get; init; }

    /// <summary>Opus silence frames inserted.</summary>
    public long SilenceFrames { get; init; }

    /// <summary>Total duration of the inserted silence ("bridged X ms").</summary>
    public TimeSpan Silence { get; init; }
}

/// <summary>The finalizer's result: the files, the recording's duration on the room clock, and per-track figures.</summary>
public sealed record FinalizedRecording(IReadOnlyList<FinalizedFile> Files, TimeSpan Duration, IReadOnlyList<FinalizedTrack> Tracks);
