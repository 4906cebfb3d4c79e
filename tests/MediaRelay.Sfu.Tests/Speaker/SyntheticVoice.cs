namespace MediaRelay.Sfu.Tests.Speaker;

/// <summary>
/// Deterministic RFC 6464 levels of one microphone, one per 20 ms frame: while talking, syllables (120-300 ms,
/// around <see cref="SpeechLevel"/> -dBov, V=1) separated by 40-120 ms dips to the room noise; otherwise room
/// noise (<see cref="NoiseLevel"/> ± 2 dB, V=0 unless <see cref="VoiceBitAlways"/>, as some senders do).
/// </summary>
internal sealed class SyntheticVoice : ILevelSource
{
    private readonly Random _random;
    private int _framesLeft;
    private bool _inSyllable;

    public SyntheticVoice(int seed, byte speechLevel = 30, byte noiseLevel = 70, bool voiceBitAlways = false)
    {
        _random = new Random(seed);
        SpeechLevel = speechLevel;
        NoiseLevel = noiseLevel;
        VoiceBitAlways = voiceBitAlways;
    }

    public byte SpeechLevel { get; set; }
    public byte NoiseLevel { get; }
    public bool VoiceBitAlways { get; }

    public (byte Level, bool Voice) Next(bool talking, double seconds)
    {
        if (!talking)
        {
            _framesLeft = 0;
            _inSyllable = false;
            return (Jitter(NoiseLevel, 2), VoiceBitAlways);
        }
        if (_framesLeft == 0)
        {
            _inSyllable = !_inSyllable;
            _framesLeft = _inSyllable ? _random.Next(6, 16) : _random.Next(2, 7);
        }
        _framesLeft--;
        return _inSyllable ? (Jitter(SpeechLevel, 4), true) : (Jitter(NoiseLevel, 2), VoiceBitAlways);
    }

    private byte Jitter(byte level, int spread) => (byte)Math.Clamp(level + _random.Next(-spread, spread + 1), 0, 127);
}
