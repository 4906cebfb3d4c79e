namespace MediaRelay.Recording.Media;

/// <summary>
/// Opus packets that decode to digital silence, for filling holes in a recorded audio track (RFC 6716).
/// Each is a code 0 packet (one frame) with a CELT-only fullband TOC (§3.1: configuration 28..31 = 2.5/5/10/20 ms,
/// TOC = config &lt;&lt; 3 | s &lt;&lt; 2), followed by the two range-coded bytes 0xFF 0xFE: the CELT decoder's first
/// symbol is the silence flag (§4.3, table 56: logp 15), and with these bytes the range decoder's value starts at
/// 0, below the threshold, so the flag reads 1 and the frame is silence. Two bytes rather than one: a CELT frame of
/// one byte or less is treated as lost (concealment), not as silence.
/// Verified by decoding (OpusSilenceTests, RecordingFinalizerGapTests): FFmpeg's decoder and libopus give all-zero samples, mono
/// and stereo, for every size.
/// </summary>
public static class OpusSilence
{
    /// <summary>The filler's usual frame: 20 ms.</summary>
    public const int FrameSamples = 960;

    /// <summary>The shortest CELT frame: 2.5 ms.</summary>
    public const int MinFrameSamples = 120;

    private static ReadOnlySpan<byte> Mono20 => [0xF8, 0xFF, 0xFE];
    private static ReadOnlySpan<byte> Stereo20 => [0xFC, 0xFF, 0xFE];
    private static ReadOnlySpan<byte> Mono10 => [0xF0, 0xFF, 0xFE];
    private static ReadOnlySpan<byte> Stereo10 => [0xF4, 0xFF, 0xFE];
    private static ReadOnlySpan<byte> Mono5 => [0xE8, 0xFF, 0xFE];
    private static ReadOnlySpan<byte> Stereo5 => [0xEC, 0xFF, 0xFE];
    private static ReadOnlySpan<byte> Mono2_5 => [0xE0, 0xFF, 0xFE];
    private static ReadOnlySpan<byte> Stereo2_5 => [0xE4, 0xFF, 0xFE];

    /// <summary>
    /// The silence packet of <paramref name="samples"/> (120, 240, 480 or 960 at 48 kHz) with the TOC's stereo bit
    /// set as asked; empty for any other size. Static data: nothing is allocated.
    /// </summary>
    public static ReadOnlySpan<byte> Packet(int samples, bool stereo) => samples switch
    {
        960 => stereo ? Stereo20 : Mono20,
        480 => stereo ? Stereo10 : Mono10,
        240 => stereo ? Stereo5 : Mono5,
        120 => stereo ? Stereo2_5 : Mono2_5,
        _ => [],
    };
}
