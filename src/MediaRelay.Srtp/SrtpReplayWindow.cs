namespace MediaRelay.Srtp;

/// <summary>
/// Sliding replay window over 48-bit SRTP or 31-bit SRTCP packet indexes (RFC 3711 §3.3.2): a circular bitmap of
/// the last N indexes below and including the highest accepted one. Check before authenticating; Accept only after.
/// </summary>
internal static class SrtpReplayWindow
{
    public static SrtpStatus Check(ReadOnlySpan<ulong> bitmap, ulong highest, ulong index)
    {
        if (index > highest)
        {
            return SrtpStatus.Ok;
        }

        ulong size = (ulong)bitmap.Length << 6;
        if (highest - index >= size)
        {
            return SrtpStatus.ReplayTooOld;
        }

        ulong bit = index & (size - 1);
        return (bitmap[(int)(bit >> 6)] & (1UL << (int)(bit & 63))) != 0 ? SrtpStatus.ReplayDetected : SrtpStatus.Ok;
    }

    public static void Accept(Span<ulong> bitmap, ref ulong highest, ulong index)
    {
        ulong size = (ulong)bitmap.Length << 6;
        if (size == 0)
        {
            if (index > highest)
            {
                highest = index;
            }

            return;
        }

        if (index > highest)
        {
            ulong advance = index - highest;
            if (advance >= size)
            {
                bitmap.Clear();
            }
            else
            {
                // Slots highest+1 .. index-1 now stand for packets not yet received.
                for (ulong i = highest + 1; i < index; i++)
                {
                    ulong clear = i & (size - 1);
                    bitmap[(int)(clear >> 6)] &= ~(1UL << (int)(clear & 63));
                }
            }

            highest = index;
        }

        ulong set = index & (size - 1);
        bitmap[(int)(set >> 6)] |= 1UL << (int)(set & 63);
    }

    /// <summary>Window size in packets rounded up to a power of two ≥ 64, as 64-bit words.</summary>
    public static int WordsFor(int packets)
    {
        if (packets <= 0)
        {
            return 0;
        }

        int size = 64;
        while (size < packets && size < (1 << 20))
        {
            size <<= 1;
        }

        return size >> 6;
    }
}
