using MediaRelay.Rtp.Rtcp;

namespace MediaRelay.Sfu.Bwe;

/// <summary>
/// Publisher side of transport-wide congestion control (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1):
/// records the arrival time of each transport-wide sequence number and writes a feedback packet covering everything
/// since the previous one (call every 50–100 ms). The window is bounded to <see cref="WindowSize"/> sequence numbers;
/// older ones are dropped. Packets arriving after their range was reported are ignored. Zero allocation.
/// </summary>
public sealed class TransportFeedbackRecorder
{
    public const int WindowSize = 512;
    private const int Mask = WindowSize - 1;

    private readonly long[] _extended = new long[WindowSize]; // extended sequence stored in the slot, -1 empty
    private readonly long[] _arrival = new long[WindowSize];
    private readonly RtcpTransportFeedback.PacketResult[] _results = new RtcpTransportFeedback.PacketResult[WindowSize];
    private long _highest = -1;
    private long _nextBase = -1;
    private byte _feedbackCount;

    public TransportFeedbackRecorder() => Array.Fill(_extended, -1L);

    /// <summary>Upper bound of <see cref="WriteFeedback"/>'s output.</summary>
    public static int MaxFeedbackLength => RtcpTransportFeedback.GetMaxLength(WindowSize);

    /// <summary>Feedback packets written so far (the 8-bit counter on the wire wraps).</summary>
    public int FeedbackPacketsWritten { get; private set; }

    public void OnPacket(ushort transportSequence, long arrivalMicros)
    {
        long extended;
        if (_highest < 0)
        {
            extended = transportSequence;
            _nextBase = extended;
        }
        else
        {
            extended = _highest + (short)(transportSequence - (ushort)_highest);
        }
        if (extended < _nextBase || extended < 0)
        {
            return; // already reported (or before the first)
        }
        if (extended > _highest)
        {
            _highest = extended;
        }
        int slot = (int)(extended & Mask);
        _extended[slot] = extended;
        _arrival[slot] = arrivalMicros;
    }

    /// <summary>
    /// Writes one feedback packet for the sequence numbers since the last one (at most the newest
    /// <see cref="WindowSize"/>). Returns the bytes written, or 0 when nothing new arrived or it does not fit
    /// (size <paramref name="destination"/> with <see cref="MaxFeedbackLength"/>).
    /// </summary>
    public int WriteFeedback(Span<byte> destination, uint senderSsrc, uint mediaSsrc)
    {
        if (_highest < 0 || _nextBase > _highest)
        {
            return 0;
        }
        long first = Math.Max(_nextBase, _highest - WindowSize + 1);
        // The base is the first unreported sequence number, so leading losses are reported too.
        int count = 0;
        long baseSequence = -1;
        for (long seq = first; seq <= _highest; seq++)
        {
            int slot = (int)(seq & Mask);
            if (_extended[slot] != seq)
            {
                continue;
            }
            if (baseSequence < 0)
            {
                baseSequence = first;
            }
            _results[count++] = new RtcpTransportFeedback.PacketResult((ushort)seq, true, _arrival[slot]);
        }
        int written = 0;
        if (count > 0)
        {
            int reference = RtcpTransportFeedback.GetReferenceTime(MinArrival(count));
            written = RtcpTransportFeedback.Write(
                destination, senderSsrc, mediaSsrc, (ushort)baseSequence, reference, _feedbackCount,
                _results.AsSpan(0, count));
        }
        if (written > 0)
        {
            _feedbackCount++;
            FeedbackPacketsWritten++;
        }
        _nextBase = _highest + 1;
        return written;
    }

    /// <summary>The earliest arrival: a reference time at or before it keeps every delta in range.</summary>
    private long MinArrival(int count)
    {
        long min = long.MaxValue;
        for (int i = 0; i < count; i++)
        {
            min = Math.Min(min, _results[i].ArrivalMicros);
        }
        return min;
    }
}
