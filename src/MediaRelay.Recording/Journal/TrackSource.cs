namespace MediaRelay.Recording.Journal;

/// <summary>Where a recorded track comes from ("camera" | "microphone" | "screen" in the journal header).</summary>
public enum TrackSource
{
    Camera,
    Microphone,
    Screen,
}
