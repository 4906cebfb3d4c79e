namespace MediaRelay.Recording.Catalog;

/// <summary>One recording as the catalog holds it.</summary>
public sealed record RecordingEntry(
    string Id,
    string RoomId,
    RecordingState State,
    DateTimeOffset StartedAt,
    DateTimeOffset? StoppedAt,
    string StartedBy,
    string? StoppedBy,
    string ConsentMode,
    string? ConsentReason,
    string? Error,
    long DurationMilliseconds,
    long SizeBytes,
    string? KeyId);

/// <summary>One recorded track: a participant's microphone, camera or screen.</summary>
public sealed record TrackEntry(
    string RecordingId,
    int Track,
    string ParticipantId,
    string ParticipantName,
    string Kind,
    string Source,
    string Codec,
    long Packets,
    long Bytes,
    long Dropped);

/// <summary>A finished file: one per participant and one for the room.</summary>
public sealed record FileEntry(string RecordingId, string Name, string Scope, string Container, long SizeBytes, bool Encrypted);

/// <summary>Consent to record a room: a participant's own, or an operator's on their behalf with a reason.</summary>
public sealed record ConsentEntry(string RoomId, string ParticipantId, string ParticipantName, DateTimeOffset At,
    string GivenBy, string? Reason);

/// <summary>Who did what to which recording, when (start, stop, download, export, failure, alarm).</summary>
public sealed record AuditEntry(long Id, DateTimeOffset At, string Actor, string Action, string? RecordingId, string? Detail);
