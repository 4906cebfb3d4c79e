namespace MediaRelay.Recording.Journal;

/// <summary>A recorded track's media kind ("audio" | "video" in the journal header).</summary>
public enum TrackMediaKind
{
    Audio,
    Video,
}
