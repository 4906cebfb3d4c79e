namespace MediaRelay.Rtp;

/// <summary>
/// The playout-delay header extension (http://www.webrtc.org/experiments/rtp-hdrext/playout-delay): three bytes,
/// <c>MIN (12 bits) | MAX (12 bits)</c>, each in 10 ms units, bounding how long the receiver holds a frame before
/// rendering it. A sender raises MIN when it knows repairs need longer than the receiver's own jitter estimate.
/// </summary>
public static class PlayoutDelay
{
    public const int Length = 3;
    public const int UnitMilliseconds = 10;
    public const int MaxMilliseconds = 0xFFF * UnitMilliseconds;

    /// <summary>Writes the element's data; values are rounded down to 10 ms and clamped to 0..40 950 ms.</summary>
    public static void Write(Span<byte> destination, int minMilliseconds, int maxMilliseconds)
    {
        int min = Math.Clamp(minMilliseconds, 0, MaxMilliseconds) / UnitMilliseconds;
        int max = Math.Clamp(maxMilliseconds, 0, MaxMilliseconds) / UnitMilliseconds;
        destination[0] = (byte)(min >> 4);
        destination[1] = (byte)(((min & 0xF) << 4) | (max >> 8));
        destination[2] = (byte)max;
    }

    /// <summary>Reads the element's data; false when it is not 3 bytes long.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out int minMilliseconds, out int maxMilliseconds)
    {
        minMilliseconds = maxMilliseconds = 0;
        if (data.Length != Length)
        {
            return false;
        }
        minMilliseconds = ((data[0] << 4) | (data[1] >> 4)) * UnitMilliseconds;
        maxMilliseconds = (((data[1] & 0xF) << 8) | data[2]) * UnitMilliseconds;
        return true;
    }
}
