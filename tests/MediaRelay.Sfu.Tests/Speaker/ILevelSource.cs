namespace MediaRelay.Sfu.Tests.Speaker;

/// <summary>Produces one RFC 6464 level per 20 ms frame for <see cref="SpeakerRoom"/>.</summary>
internal interface ILevelSource
{
    (byte Level, bool Voice) Next(bool talking, double seconds);
}
