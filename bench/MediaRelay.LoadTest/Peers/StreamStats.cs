namespace MediaRelay.LoadTest.Peers;

/// <summary>
/// One received RTP stream at a subscriber: extended sequence numbers (RFC 3550 §A.1) for loss, and the
/// interarrival jitter of RFC 3550 §6.4.1 computed from the sampled packets' real send times rather than RTP
/// timestamps, so it is the jitter the path added, free of the sender's own frame timing.
/// </summary>
internal sealed class StreamStats
{
    /// <summary>Sequence numbers remembered for duplicate detection (a power of two).</summary>
    private const int SeenWindow = 1024;

    private readonly ulong[] _seen = new ulong[SeenWindow / 64];
    private bool _started;
    private ushort _maxSequence;
    private long _cycles;
    private long _baseSequence;
    private long _lastTransitTicks;
    private bool _hasTransit;

    public bool IsVideo { get; init; }

    public long Received { get; private set; }

    /// <summary>Copies of a packet already received within the last 1024 sequence numbers.</summary>
    public long Duplicates { get; private set; }

    /// <summary>Distinct packets received: <see cref="Received"/> less <see cref="Duplicates"/>.</summary>
    public long Unique => Received - Duplicates;

    /// <summary>The sending publisher's index, read from a decrypted payload's marker; -1 until one is read.</summary>
    public int Publisher { get; set; } = -1;

    /// <summary>Packets at or below the highest sequence number seen (duplicates or reordering).</summary>
    public long OutOfOrder { get; private set; }

    /// <summary>Highest extended sequence number minus the first, plus one.</summary>
    public long Expected => _started ? (_cycles + _maxSequence) - _baseSequence + 1 : 0;

    /// <summary>Jitter estimate in Stopwatch ticks (RFC 3550 §6.4.1: J += (|D| - J) / 16).</summary>
    public double JitterTicks { get; private set; }

    public void OnPacket(ushort sequence)
    {
        Received++;
        if (!_started)
        {
            _started = true;
            _maxSequence = sequence;
            _baseSequence = sequence;
            Mark(sequence);
            return;
        }
        ushort delta = (ushort)(sequence - _maxSequence);
        if (delta == 0)
        {
            OutOfOrder++;
            Duplicates++;
        }
        else if (delta < 0x8000)
        {
            if (sequence < _maxSequence)
            {
                _cycles += 65536;
            }
            // Forget the sequence numbers the window slides past.
            if (delta >= SeenWindow)
            {
                Array.Clear(_seen);
            }
            else
            {
                for (int i = 1; i < delta; i++)
                {
                    Clear((ushort)(_maxSequence + i));
                }
            }
            _maxSequence = sequence;
            Mark(sequence);
        }
        else
        {
            OutOfOrder++;
            if ((ushort)(_maxSequence - sequence) < SeenWindow && !Mark(sequence))
            {
                Duplicates++;
            }
        }
    }

    /// <summary>Sets the sequence number's bit; false when it was set already (a duplicate).</summary>
    private bool Mark(ushort sequence)
    {
        int bit = sequence & (SeenWindow - 1);
        ulong mask = 1UL << (bit & 63);
        bool fresh = (_seen[bit >> 6] & mask) == 0;
        _seen[bit >> 6] |= mask;
        return fresh;
    }

    private void Clear(ushort sequence)
    {
        int bit = sequence & (SeenWindow - 1);
        _seen[bit >> 6] &= ~(1UL << (bit & 63));
    }

    public override string ToString() =>
        $"{(IsVideo ? "video" : "audio")} received {Received} expected {Expected} out-of-order {OutOfOrder} jitter {JitterTicks * 1e6 / System.Diagnostics.Stopwatch.Frequency:F0} µs";

    public void OnTransit(long transitTicks)
    {
        if (_hasTransit)
        {
            long d = Math.Abs(transitTicks - _lastTransitTicks);
            JitterTicks += (d - JitterTicks) / 16.0;
        }
        _lastTransitTicks = transitTicks;
        _hasTransit = true;
    }
}
