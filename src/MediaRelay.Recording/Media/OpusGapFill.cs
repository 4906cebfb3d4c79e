namespace MediaRelay.Recording.Media;

/// <summary>
/// Plans the Opus silence (<see cref="OpusSilence"/>) that makes an audio track's timestamps contiguous across a
/// hole (lost packets, DTX, a network drop). A hole is the time from the end of the last packet (its start plus its
/// RFC 6716 §3.1 duration) to the start of the next; it is bridged when it exceeds half the last packet's duration
/// (the slack for timestamp jitter) and is at most <see cref="MaxGapMicroseconds"/>. The hole is rounded to the
/// nearest 2.5 ms and filled with 20 ms frames, then at most one each of 10, 5 and 2.5 ms, so the filled audio
/// lands within 1.25 ms of the next packet. A mutable struct: no allocation.
/// </summary>
public struct OpusGapFill
{
    /// <summary>Holes up to 10 minutes are bridged; a longer one is a pause or a corrupt timestamp, not a blip.</summary>
    public const long MaxGapMicroseconds = 600_000_000;

    private const long UnitMicroseconds = 2_500; // the shortest CELT frame, 120 samples

    private long _next;
    private int _units;

    /// <summary>Units of 2.5 ms still to fill.</summary>
    public readonly int RemainingUnits => _units;

    /// <summary>
    /// Plans the fill between a packet of <paramref name="lastPacketSamples"/> (0: unknown, taken as 20 ms) that
    /// ended at <paramref name="endMicroseconds"/> and the next packet at <paramref name="nextMicroseconds"/>.
    /// </summary>
    public OpusGapDecision Begin(long endMicroseconds, long nextMicroseconds, int lastPacketSamples)
    {
        _units = 0;
        long hole = nextMicroseconds - endMicroseconds;
        long slack = OpusToc.SamplesToMicroseconds(lastPacketSamples > 0 ? lastPacketSamples : OpusSilence.FrameSamples) / 2;
        if (hole <= slack)
        {
            return OpusGapDecision.None;
        }
        if (hole > MaxGapMicroseconds)
        {
            return OpusGapDecision.TooLong;
        }
        _units = (int)((hole + (UnitMicroseconds / 2)) / UnitMicroseconds);
        _next = endMicroseconds;
        return _units > 0 ? OpusGapDecision.Bridged : OpusGapDecision.None;
    }

    /// <summary>The next silence frame: its start (µs, same clock as <see cref="Begin"/>) and size (120..960 samples).</summary>
    public bool TryNext(out long ptsMicroseconds, out int samples)
    {
        if (_units <= 0)
        {
            ptsMicroseconds = 0;
            samples = 0;
            return false;
        }
        int units = _units >= 8 ? 8 : _units >= 4 ? 4 : _units >= 2 ? 2 : 1;
        ptsMicroseconds = _next;
        samples = units * OpusSilence.MinFrameSamples;
        _next += units * UnitMicroseconds;
        _units -= units;
        return true;
    }
}
