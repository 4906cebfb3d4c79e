using MediaRelay.Rtp.Rtcp;

namespace MediaRelay.Sfu.Rtcp;

/// <summary>
/// Reception statistics of one inbound SSRC, the source of the report block the SFU sends back to the publisher
/// (RFC 3550 §6.4.1, https://www.rfc-editor.org/rfc/rfc3550#section-6.4.1; sequence tracking §A.1, loss §A.3,
/// jitter §A.8). Single-threaded (the owning media loop); every method is allocation-free. Times are
/// <see cref="System.Diagnostics.Stopwatch"/> ticks.
/// <para>
/// Choices: no initial probation (SRTP authentication already proves the source, so the first packet counts);
/// a jump of <see cref="MaxDropout"/> or more ahead, or <see cref="MaxMisorder"/> or more behind, is held as a
/// restart candidate and accepted, with the packet before it, only when the next packet follows it (the "bad_seq"
/// rule of §A.1); a restart closes the current run and starts a new one, so the gap counts as neither loss nor
/// receipt while the reported extended number keeps increasing. Duplicates
/// within the reordering window are detected and not counted (§A.3 would count them, driving loss negative).
/// Jitter uses in-order packets only (late ones are mostly retransmissions) and skips packets that share the
/// previous packet's RTP timestamp: packets of one video frame are paced out by the sender, and that spread is
/// not network jitter (libwebrtc does the same).
/// </para>
/// </summary>
public sealed class RtpReceiveStatistics
{
    /// <summary>Largest forward jump still taken as the same stream (§A.1 MAX_DROPOUT).</summary>
    public const int MaxDropout = 3000;

    /// <summary>Packets this far behind the highest or further are restart candidates, not late packets (§A.1 MAX_MISORDER).</summary>
    public const int MaxMisorder = 100;

    // Power of two above MaxMisorder: slot (extended & mask) holds the last extended number received there.
    private const int HistorySize = 128;
    private const long EmptySlot = long.MinValue;

    private readonly long[] _history = new long[HistorySize];

    private bool _started;
    private long _runStart;          // lowest extended number of the current run (since the first packet or restart)
    private long _expectedBeforeRun; // packets expected in the runs before the current one
    private long _maxExtended;
    private long _received;
    private long _duplicates;
    private long _expectedPrior;
    private long _receivedPrior;

    private bool _restartPending;
    private ushort _restartNextSequence;

    private long _jitterQ4; // jitter × 16 in RTP units (§A.8 integer form)
    private int _jitterClockRate;
    private bool _hasTransit;
    private uint _lastTransit;
    private uint _lastJitterTimestamp;

    private bool _hasSenderReport;
    private uint _lastSenderReport;
    private long _lastSenderReportArrival;

    public RtpReceiveStatistics() => Array.Fill(_history, EmptySlot);

    /// <summary>Packets received, duplicates and unconfirmed jumps excluded.</summary>
    public long PacketsReceived => _received;

    /// <summary>Expected minus received since the first packet (negative only in odd cases; §6.4.1 allows it).</summary>
    public long PacketsLost => _started ? ExpectedPackets - _received : 0;

    /// <summary>Duplicate packets seen (and not counted).</summary>
    public long Duplicates => _duplicates;

    /// <summary>Extended highest sequence number received (cycles in the high 16 bits), as reported.</summary>
    public uint ExtendedHighestSequenceNumber => (uint)_maxExtended;

    /// <summary>Interarrival jitter in RTP timestamp units.</summary>
    public uint Jitter => (uint)Math.Min(_jitterQ4 >> 4, uint.MaxValue);

    /// <summary>Interarrival jitter in milliseconds, at the clock rate of the last packet.</summary>
    public double JitterMilliseconds => _jitterClockRate > 0 ? (_jitterQ4 / 16.0) * 1000.0 / _jitterClockRate : 0;

    /// <summary>True when packets were received since the last <see cref="BuildReportBlock"/> (a report block is due, §6.4).</summary>
    public bool HasPacketsSinceLastReport => _received != _receivedPrior;

    /// <summary>True once a sender report arrived (LSR/DLSR are then filled in).</summary>
    public bool HasSenderReport => _hasSenderReport;

    private long ExpectedPackets => _expectedBeforeRun + (_maxExtended - _runStart + 1);

    /// <summary>
    /// Accounts one packet. Returns false when it is not counted: a duplicate, or a large jump held until the
    /// next packet confirms a restart.
    /// </summary>
    public bool OnPacket(ushort sequence, uint rtpTimestamp, int clockRate, long arrivalTimestamp)
    {
        if (!_started)
        {
            _started = true;
            _runStart = sequence;
            _maxExtended = sequence;
            _received = 1;
            Remember(sequence);
            UpdateJitter(rtpTimestamp, clockRate, arrivalTimestamp);
            return true;
        }

        long extended = _maxExtended + (short)(sequence - (ushort)_maxExtended);
        long delta = extended - _maxExtended;
        if (delta > 0 && delta < MaxDropout)
        {
            // In order, possibly after a gap whose packets count as lost until they turn up.
            _maxExtended = extended;
            _restartPending = false;
            _received++;
            Remember(extended);
            UpdateJitter(rtpTimestamp, clockRate, arrivalTimestamp);
            return true;
        }

        if (delta <= 0 && delta > -MaxMisorder)
        {
            // Late (reordered or retransmitted) or duplicate: counts once, never moves the highest number.
            ref long slot = ref _history[extended & (HistorySize - 1)];
            if (slot == extended)
            {
                _duplicates++;
                return false;
            }
            slot = extended;
            _received++;
            if (extended < _runStart)
            {
                _runStart = extended; // arrived after, but was sent before, the first packet of the run
            }
            return true;
        }

        if (_restartPending && sequence == _restartNextSequence)
        {
            Restart(sequence);
            _hasTransit = false; // timestamps usually jump with the sequence
            UpdateJitter(rtpTimestamp, clockRate, arrivalTimestamp);
            return true;
        }

        _restartPending = true;
        _restartNextSequence = (ushort)(sequence + 1);
        return false;
    }

    /// <summary>Remembers the LSR (middle 32 bits of the SR's NTP timestamp) and when the SR arrived (§6.4.1).</summary>
    public void OnSenderReport(ulong ntpTimestamp, long arrivalTimestamp)
    {
        _hasSenderReport = true;
        _lastSenderReport = NtpTime.ToCompact(ntpTimestamp);
        _lastSenderReportArrival = arrivalTimestamp;
    }

    /// <summary>
    /// The report block for <paramref name="ssrc"/> (the publisher's SSRC) at <paramref name="now"/>: fraction lost
    /// since the previous call (§A.3), cumulative lost clamped to 24 bits, extended highest sequence, jitter, and
    /// LSR with DLSR in 1/65536 s (both 0 before any SR). Starts the next fraction-lost interval.
    /// </summary>
    public RtcpReportBlock BuildReportBlock(uint ssrc, long now)
    {
        uint lastSenderReport = 0;
        uint delaySinceLastSenderReport = 0;
        if (_hasSenderReport)
        {
            lastSenderReport = _lastSenderReport;
            long units = StopwatchTicks.ToUnits(now - _lastSenderReportArrival, 65536);
            delaySinceLastSenderReport = units <= 0 ? 0 : units >= uint.MaxValue ? uint.MaxValue : (uint)units;
        }

        if (!_started)
        {
            return new RtcpReportBlock(ssrc, 0, 0, 0, 0, lastSenderReport, delaySinceLastSenderReport);
        }

        long expected = ExpectedPackets;
        long expectedInterval = expected - _expectedPrior;
        long receivedInterval = _received - _receivedPrior;
        _expectedPrior = expected;
        _receivedPrior = _received;
        long lostInterval = expectedInterval - receivedInterval;
        byte fractionLost = expectedInterval <= 0 || lostInterval <= 0
            ? (byte)0
            : (byte)Math.Min(255, (lostInterval << 8) / expectedInterval);
        int cumulativeLost = (int)Math.Clamp(expected - _received, RtcpReportBlock.MinCumulativeLost, RtcpReportBlock.MaxCumulativeLost);

        return new RtcpReportBlock(ssrc, fractionLost, cumulativeLost, (uint)_maxExtended, Jitter,
            lastSenderReport, delaySinceLastSenderReport);
    }

    private void Remember(long extended) => _history[extended & (HistorySize - 1)] = extended;

    /// <summary>
    /// The packet before <paramref name="sequence"/> and this one start a new run. Its extended numbers continue
    /// above the old run (low 16 bits equal to the wire, cycle count going up), at least <see cref="MaxDropout"/>
    /// above the old highest, so late packets of either run can never be taken for the other's.
    /// </summary>
    private void Restart(ushort sequence)
    {
        long extended = (_maxExtended & ~0xFFFFL) | sequence;
        while (extended < _maxExtended + 2)
        {
            extended += 0x10000;
        }
        _expectedBeforeRun += _maxExtended - _runStart + 1;
        _runStart = extended - 1;
        _maxExtended = extended;
        _received += 2;
        _restartPending = false;
        Remember(extended - 1);
        Remember(extended);
    }

    /// <summary>§A.8: J += (|D| - J) / 16 with D the change in transit time, all in RTP units (J kept × 16).</summary>
    private void UpdateJitter(uint rtpTimestamp, int clockRate, long arrivalTimestamp)
    {
        if (clockRate <= 0)
        {
            return;
        }
        if (clockRate != _jitterClockRate)
        {
            if (_jitterClockRate > 0)
            {
                _jitterQ4 = _jitterQ4 * clockRate / _jitterClockRate;
            }
            _jitterClockRate = clockRate;
            _hasTransit = false;
        }

        uint arrival = (uint)StopwatchTicks.ToUnits(arrivalTimestamp, clockRate); // wraps with the RTP clock
        uint transit = arrival - rtpTimestamp;
        if (_hasTransit)
        {
            if (rtpTimestamp == _lastJitterTimestamp)
            {
                return; // same frame: keep the transit of its first packet
            }
            long d = Math.Abs((long)(int)(transit - _lastTransit));
            _jitterQ4 += d - ((_jitterQ4 + 8) >> 4);
        }
        _hasTransit = true;
        _lastTransit = transit;
        _lastJitterTimestamp = rtpTimestamp;
    }
}
