using MediaRelay.Core;
using MediaRelay.Rtp.Rtcp;

namespace MediaRelay.Sfu.Rtcp;

/// <summary>
/// Send-side statistics of one outbound SSRC (a consumer's stream): the sender-info counters of its SR and the
/// round-trip time from the report blocks that come back (RFC 3550 §6.4.1,
/// https://www.rfc-editor.org/rfc/rfc3550#section-6.4.1). Single-threaded (the owning media loop);
/// allocation-free. Times are <see cref="System.Diagnostics.Stopwatch"/> ticks; wall clock comes in as NTP.
/// </summary>
public sealed class RtpSendStatistics
{
    /// <summary>How many of our recent SRs an incoming LSR may echo.</summary>
    private const int SentReportHistory = 8;

    /// <summary>Rounding of LSR, DLSR and A to 1/65536 s can make a near-zero RTT slightly negative: up to ~1 ms counts as 0.</summary>
    private const int RoundingToleranceUnits = 66;

    private readonly uint[] _sentReports = new uint[SentReportHistory];
    private int _sentReportNext;

    private long _packets;
    private long _octets;
    private bool _hasSent;
    private uint _anchorRtpTimestamp;
    private long _anchorSentAt;

    private bool _hasRoundTrip;
    private TimeSpan _roundTrip;

    /// <summary>Packets sent (the SR carries the low 32 bits).</summary>
    public long PacketsSent => _packets;

    /// <summary>Payload octets sent, headers and padding excluded (the SR carries the low 32 bits).</summary>
    public long OctetsSent => _octets;

    /// <summary>True once a packet was sent: an SR has something to say (§6.4: SR only from active senders).</summary>
    public bool HasSent => _hasSent;

    /// <summary>The newest RTP timestamp sent (the anchor of the SR extrapolation).</summary>
    public uint LastRtpTimestamp => _anchorRtpTimestamp;

    public bool HasRoundTrip => _hasRoundTrip;

    /// <summary>The last RTT measured by <see cref="TryComputeRoundTrip"/> (zero before one).</summary>
    public TimeSpan LastRoundTrip => _roundTrip;

    /// <summary>
    /// Accounts one original (not retransmitted) packet. The extrapolation anchor moves only to a newer RTP
    /// timestamp, so it is the first packet of the newest frame: the one sent closest to capture.
    /// </summary>
    public void OnPacketSent(uint rtpTimestamp, int payloadBytes, long timestamp)
    {
        _packets++;
        if (payloadBytes > 0)
        {
            _octets += payloadBytes;
        }
        if (!_hasSent || SequenceNumber.IsNewerTimestamp(rtpTimestamp, _anchorRtpTimestamp))
        {
            _hasSent = true;
            _anchorRtpTimestamp = rtpTimestamp;
            _anchorSentAt = timestamp;
        }
    }

    /// <summary>
    /// The RTP timestamp that corresponds to <paramref name="now"/>: the anchor plus the elapsed time at
    /// <paramref name="clockRate"/> (§6.4.1: the SR's RTP timestamp is the same instant as its NTP timestamp).
    /// </summary>
    public uint ExtrapolateRtpTimestamp(long now, int clockRate) =>
        _anchorRtpTimestamp + (uint)StopwatchTicks.ToUnits(now - _anchorSentAt, clockRate);

    /// <summary>
    /// Writes the compound "SR (no report blocks) + SDES CNAME" (RFC 3550 §6.1: SR first, CNAME required) for
    /// <paramref name="ssrc"/> at <paramref name="ntpNow"/> / <paramref name="now"/> (the same instant). Returns
    /// the total length, or 0 when nothing was sent yet, the clock rate is not positive, the CNAME exceeds 255
    /// bytes or <paramref name="destination"/> is too small (nothing is written then).
    /// </summary>
    public int WriteSenderReport(Span<byte> destination, uint ssrc, ulong ntpNow, long now, int clockRate, ReadOnlySpan<byte> cname)
    {
        if (!_hasSent || clockRate <= 0 || cname.Length > 255
            || destination.Length < RtcpSenderReport.MinimumLength + RtcpSdes.GetCnameLength(cname.Length))
        {
            return 0;
        }

        int length = RtcpSenderReport.Write(destination, ssrc, ntpNow, ExtrapolateRtpTimestamp(now, clockRate),
            (uint)_packets, (uint)_octets);
        length += RtcpSdes.WriteCname(destination.Slice(length), ssrc, cname);

        _sentReports[_sentReportNext] = NtpTime.ToCompact(ntpNow);
        _sentReportNext = (_sentReportNext + 1) % SentReportHistory;
        return length;
    }

    /// <summary>
    /// RTT from a report block about this SSRC received at <paramref name="ntpNow"/>: A - LSR - DLSR in compact NTP
    /// units (§6.4.1). False, keeping the last RTT, when the block echoes no SR of ours (LSR 0 or unknown) or the
    /// result is negative beyond rounding.
    /// </summary>
    public bool TryComputeRoundTrip(RtcpReportBlock block, ulong ntpNow, out TimeSpan roundTrip)
    {
        roundTrip = default;
        if (block.LastSenderReport == 0 || !WasSent(block.LastSenderReport))
        {
            return false;
        }
        int units = (int)(NtpTime.ToCompact(ntpNow) - block.LastSenderReport - block.DelaySinceLastSenderReport);
        if (units < 0)
        {
            if (units < -RoundingToleranceUnits)
            {
                return false;
            }
            units = 0;
        }
        roundTrip = NtpTime.CompactToDuration((uint)units);
        _roundTrip = roundTrip;
        _hasRoundTrip = true;
        return true;
    }

    private bool WasSent(uint compact)
    {
        for (int i = 0; i < _sentReports.Length; i++)
        {
            if (_sentReports[i] == compact)
            {
                return true;
            }
        }
        return false;
    }
}
