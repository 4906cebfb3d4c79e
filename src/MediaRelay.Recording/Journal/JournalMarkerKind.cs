namespace MediaRelay.Recording.Journal;

/// <summary>What a <see cref="JournalRecordType.Marker"/> record marks.</summary>
public enum JournalMarkerKind : byte
{
    /// <summary>Packets missing from the journal (recorder queue overflow, producer pause); value = packets dropped, 0 if unknown.</summary>
    Gap = 1,

    /// <summary>The recorder asked the sender for a keyframe (PLI/FIR); value = request count or 0.</summary>
    KeyframeRequest = 2,
}
