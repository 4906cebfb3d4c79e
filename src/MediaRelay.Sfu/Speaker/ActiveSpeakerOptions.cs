namespace MediaRelay.Sfu.Speaker;

/// <summary>
/// Tuning of <see cref="ActiveSpeakerDetector"/>. The defaults suit 20 ms Opus frames carrying the RFC 6464 audio
/// level (about 50 levels per second per speaker) and a tick every 20-100 ms; see the detector for the reasoning.
/// </summary>
public sealed class ActiveSpeakerOptions
{
    /// <summary>How far (dB) a frame must rise above its speaker's noise floor to count as speech. Default 12 dB:
    /// per-frame levels of steady background noise wander a few dB around their minimum, while speech sits
    /// 20-40 dB above the floor of any usable microphone.</summary>
    public int SpeechThresholdDb { get; init; } = 12;

    /// <summary>RFC 6464 level (-dBov) at or above which a frame is never speech, however quiet the floor.
    /// Default 80 (-80 dBov): inaudible, whereas conversational speech is around -20..-45 dBov.</summary>
    public byte QuietestSpeechLevel { get; init; } = 80;

    /// <summary>Span of the per-speaker noise floor (minimum) tracker. Default 4 s: long enough to contain a pause
    /// between words of a continuous talker, short enough to follow a fan that starts or a user who moves.</summary>
    public TimeSpan NoiseFloorWindow { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>Time constant of the smoothed activity (an exponential average of the fraction of speech frames).
    /// Default 400 ms: bridges the 50-150 ms gaps between syllables yet falls within a second of a speaker
    /// stopping.</summary>
    public TimeSpan ActivityTimeConstant { get; init; } = TimeSpan.FromMilliseconds(400);

    /// <summary>Smoothed activity (0..1) a speaker needs to challenge for, or take, the floor. Default 0.3
    /// (continuous speech reaches 0.6-0.9; clicks and breathing stay below).</summary>
    public double ActivityThreshold { get; init; } = 0.3;

    /// <summary>How much more active (absolute, 0..1) than the dominant speaker a challenger must be. Default 0.15,
    /// so two people talking over each other leave the floor with whoever had it.</summary>
    public double SwitchMargin { get; init; } = 0.15;

    /// <summary>How long a challenger must lead (accumulated; time not leading is paid back at the same rate) before
    /// it takes the floor. Default 1 s: a cough or a one-word interjection never gets there, a real turn does
    /// about 1.4 s after it starts.</summary>
    public TimeSpan SwitchHold { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>After this long with nobody above <see cref="ActivityThreshold"/>, the dominant speaker is cleared
    /// (null). Default 5 s: longer than the usual pauses of a discussion (1-3 s: thinking, turn-taking) so the
    /// highlight does not blink off between sentences, short enough that a room that went quiet stops pointing at
    /// someone. <see cref="Timeout.InfiniteTimeSpan"/> keeps the last speaker forever (video switching).</summary>
    public TimeSpan SilenceTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A speaker without any audio level for this long counts as silent (muted, DTX, packet loss).
    /// Default 200 ms (ten 20 ms frames).</summary>
    public TimeSpan PacketTimeout { get; init; } = TimeSpan.FromMilliseconds(200);
}
