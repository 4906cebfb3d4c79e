namespace MediaRelay.Core;

/// <summary>
/// Serial-number arithmetic for 16-bit RTP sequence numbers and 32-bit timestamps
/// (RFC 1982; RFC 3550 §A.1 for the extended sequence number).
/// </summary>
public static class SequenceNumber
{
    /// <summary>True when <paramref name="a"/> is newer than <paramref name="b"/> modulo 2^16.</summary>
    public static bool IsNewer(ushort a, ushort b) => a != b && (ushort)(a - b) < 0x8000;

    /// <summary>Signed distance a - b in the 16-bit ring.</summary>
    public static int Diff(ushort a, ushort b) => (short)(a - b);

    /// <summary>True when timestamp <paramref name="a"/> is newer than <paramref name="b"/> modulo 2^32.</summary>
    public static bool IsNewerTimestamp(uint a, uint b) => a != b && (a - b) < 0x80000000u;
}

/// <summary>Extends 16-bit sequence numbers to 64 bits across wrap-around (RFC 3550 §A.1).</summary>
public struct SequenceUnwrapper
{
    private long _last;
    private bool _started;

    public long Unwrap(ushort seq)
    {
        if (!_started)
        {
            _started = true;
            _last = seq;
            return _last;
        }
        int delta = (short)(seq - (ushort)_last);
        _last += delta;
        return _last;
    }

    public readonly long Last => _last;
}
