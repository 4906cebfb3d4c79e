namespace MediaRelay.Recording.Finalize;

/// <summary>A file the finalizer wrote: one per participant ("participant") and one for the whole room ("room").</summary>
public sealed record FinalizedFile(string Name, string Path, string Scope, string Container, long SizeBytes, bool Encrypted);

/// <summary>What one track contributed: frames written, packets lost, whether its journal ended in a crash.</summary>
public sealed record FinalizedTrack(string TrackId, string ParticipantId, string Kind, string Codec, long Frames,
    long LostPackets, bool Truncated);

/// <summary>The finalizer's result: the files, the recording's duration on the room clock, and per-track figures.</summary>
public sealed record FinalizedRecording(IReadOnlyList<FinalizedFile> Files, TimeSpan Duration, IReadOnlyList<FinalizedTrack> Tracks);
