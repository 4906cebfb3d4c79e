namespace MediaRelay.Recording.Media;

/// <summary>What <see cref="OpusGapFill.Begin"/> decided for the space between two Opus packets.</summary>
public enum OpusGapDecision
{
    /// <summary>The packets are contiguous (within half a packet of slack), overlap, or the hole rounds to nothing.</summary>
    None,

    /// <summary>Silence frames are planned: take them with <see cref="OpusGapFill.TryNext"/>.</summary>
    Bridged,

    /// <summary>The hole is longer than <see cref="OpusGapFill.MaxGapMicroseconds"/>: not a network blip, left as it is.</summary>
    TooLong,
}
