namespace MediaRelay.Recording.Media;

/// <summary>
/// The Opus TOC byte and packet duration (RFC 6716 §3.1, https://www.rfc-editor.org/rfc/rfc6716#section-3.1, and
/// §3.2 for the frame count of codes 0..3). Durations are in 48 kHz samples, Opus's own clock whatever the
/// bandwidth. Malformed input gives 0, never an exception.
/// </summary>
public static class OpusToc
{
    public const int SampleRate = 48_000;

    /// <summary>RFC 6716 §3.2.5 (R5): a packet never holds more than 120 ms of audio.</summary>
    public const int MaxPacketSamples = 5_760;

    /// <summary>
    /// Samples per frame (48 kHz) of the TOC's configuration (bits 0..4): SILK-only 0..11 → 10/20/40/60 ms,
    /// Hybrid 12..15 → 10/20 ms, CELT-only 16..31 → 2.5/5/10/20 ms.
    /// </summary>
    public static int FrameSamples(byte toc)
    {
        int config = toc >> 3;
        if (config < 12)
        {
            return (config & 3) switch
            {
                0 => 480,
                1 => 960,
                2 => 1_920,
                _ => 2_880,
            };
        }
        if (config < 16)
        {
            return (config & 1) == 0 ? 480 : 960;
        }
        return 120 << (config & 3);
    }

    /// <summary>The TOC's s bit: the packet is coded in stereo.</summary>
    public static bool IsStereo(byte toc) => (toc & 0x04) != 0;

    /// <summary>
    /// The number of frames in the packet (RFC 6716 §3.2): code 0 → 1, codes 1 and 2 → 2, code 3 → the count M
    /// of the frame count byte; 0 when the packet is empty or a code 3 packet lacks that byte or has M = 0.
    /// </summary>
    public static int FrameCount(ReadOnlySpan<byte> packet)
    {
        if (packet.IsEmpty)
        {
            return 0;
        }
        return (packet[0] & 0x03) switch
        {
            0 => 1,
            1 or 2 => 2,
            _ => packet.Length < 2 ? 0 : packet[1] & 0x3F,
        };
    }

    /// <summary>The packet's duration in 48 kHz samples; 0 when malformed or longer than 120 ms (R5).</summary>
    public static int PacketSamples(ReadOnlySpan<byte> packet)
    {
        int frames = FrameCount(packet);
        if (frames == 0)
        {
            return 0;
        }
        int samples = frames * FrameSamples(packet[0]);
        return samples > MaxPacketSamples ? 0 : samples;
    }

    /// <summary>48 kHz samples to microseconds (exact for every Opus frame size: 120 samples = 2500 µs).</summary>
    public static long SamplesToMicroseconds(int samples) => samples * 1_000_000L / SampleRate;
}
