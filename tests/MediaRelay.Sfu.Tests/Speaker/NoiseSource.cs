namespace MediaRelay.Sfu.Tests.Speaker;

/// <summary>
/// A microphone that only hears the room: <c>level ± spread</c> -dBov with a fixed V bit, optionally muted
/// (digital silence, level 127, as a disabled track sends) until a given time.
/// </summary>
internal sealed class NoiseSource(byte level, int spread, bool voiceBit, int seed, double mutedUntilSeconds = 0)
    : ILevelSource
{
    private readonly Random _random = new(seed);

    public (byte Level, bool Voice) Next(bool talking, double seconds) =>
        seconds < mutedUntilSeconds
            ? ((byte)127, false)
            : ((byte)Math.Clamp(level + _random.Next(-spread, spread + 1), 0, 126), voiceBit);
}
