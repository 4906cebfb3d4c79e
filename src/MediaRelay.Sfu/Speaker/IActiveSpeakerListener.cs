namespace MediaRelay.Sfu.Speaker;

/// <summary>
/// Receives dominant-speaker changes from an <see cref="ActiveSpeakerDetector"/>. Called on the media loop from
/// <see cref="ActiveSpeakerDetector.Tick"/>: implementations must be quick and must not throw (hand the news to
/// the control plane, e.g. through a channel, and return).
/// </summary>
public interface IActiveSpeakerListener
{
    /// <summary>The dominant speaker changed to <paramref name="participantId"/>; null when the room went quiet
    /// for <see cref="ActiveSpeakerOptions.SilenceTimeout"/> or the dominant speaker left with nobody to replace it.</summary>
    void OnDominantSpeakerChanged(string? participantId);
}
