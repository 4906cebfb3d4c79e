namespace MediaRelay.Recording.Journal;

/// <summary>Record type byte of a track journal record (<see cref="TrackJournalFormat"/>).</summary>
public enum JournalRecordType : byte
{
    /// <summary>UTF-8 JSON track metadata; the first record of every journal, alone in chunk 0.</summary>
    TrackHeader = 1,

    /// <summary>An RTP packet as forwarded (plaintext, after SRTP unprotect) with its arrival times.</summary>
    RtpPacket = 2,

    /// <summary>RFC 3550 §6.4.1 sender report sync info: NTP timestamp and matching RTP timestamp.</summary>
    SenderReport = 3,

    /// <summary>A gap or keyframe-request marker (<see cref="JournalMarkerKind"/>).</summary>
    Marker = 4,

    /// <summary>The track ended cleanly; written by <see cref="TrackJournalWriter.Complete"/>.</summary>
    EndOfTrack = 5,
}
