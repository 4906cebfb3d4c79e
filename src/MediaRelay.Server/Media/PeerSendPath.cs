using System.Diagnostics;
using MediaRelay.Core;
using MediaRelay.Rtp;
using MediaRelay.Rtp.Rtcp;
using MediaRelay.Server.Diagnostics;
using MediaRelay.Sfu;
using MediaRelay.Sfu.Rtcp;
using MediaRelay.Sfu.Allocation;
using MediaRelay.Sfu.Bwe;
using MediaRelay.Sfu.Pacing;

namespace MediaRelay.Server.Media;

/// <summary>
/// Everything a subscriber's transport does between a consumer and the socket: the pacer (draft-ietf-rmcat-gcc-02
/// §4, 2.5 × the estimate), the transport-wide sequence number stamped as each packet leaves
/// (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2), the send-side estimate fed by the subscriber's feedback,
/// the allocation of that estimate to the consumers' simulcast layers every 100 ms, and padding probes on the RTX
/// streams when the allocation wants more than the estimate yet allows; and, with the playout-delay extension, the
/// minimum delay each video consumer announces so repairs on long lossy legs arrive in time (RepairDelayPolicy). Without transport-cc it only paces nothing
/// and lifts every cap. Media loop only; allocation-free per packet.
/// </summary>
internal sealed class PeerSendPath : IPacedTransport
{
    private const double PacingFactor = 2.5;
    private static readonly long AllocationIntervalTicks = Stopwatch.Frequency / 10;
    private static readonly long RateWindowTicks = Stopwatch.Frequency / 2;

    /// <summary>SRTP tag + UDP + IPv4 headers: what the estimate must count beyond the RTP packet.</summary>
    private const int WireOverheadBytes = 16 + 8 + 20;

    private readonly WebRtcPeer _peer;
    private readonly SendSideBandwidthEstimator _estimator;
    private readonly PacedSender _pacer;
    private readonly RtcpTransportFeedback.PacketResult[] _results = new RtcpTransportFeedback.PacketResult[8192];
    private ushort _sequence;
    private bool _limited;
    private long _nextAllocation;
    private long _nextRepairDelay;
    private long _desired;
    private long _lastPadding;
    private int _paddingCursor;
    private double _paddingCredit;
    private long _rateWindowStart;
    private long _mediaBytesInWindow;
    private long _mediaBitsPerSecond;
    private long _reportedDrops;

    public PeerSendPath(WebRtcPeer peer, PacketPool pool, long initialBitsPerSecond)
    {
        _peer = peer;
        _estimator = new SendSideBandwidthEstimator(new BandwidthEstimatorOptions
        {
            InitialBitsPerSecond = initialBitsPerSecond,
        });
        _pacer = new PacedSender(this, pool);
    }

    /// <summary>The subscriber's estimated bandwidth, bits per second (0 without transport-cc).</summary>
    public long EstimateBitsPerSecond => _limited ? _estimator.EstimateBitsPerSecond : 0;

    /// <summary>What the allocation would send with no limit, at the last allocation.</summary>
    public long DesiredBitsPerSecond => _desired;

    public PacedSender Pacer => _pacer;

    /// <summary>The estimator's state in one line (diagnostics and tests; not for the packet path).</summary>
    public string Describe() =>
        $"{_estimator.EstimateBitsPerSecond / 1000}k (delay {_estimator.DelayBasedBitsPerSecond / 1000}k, loss " +
        $"{_estimator.LossBasedBitsPerSecond / 1000}k at {_estimator.LossFraction:P1}, {_estimator.Usage}, acked " +
        $"{_estimator.AckedBitsPerSecond / 1000}k, lost again {_estimator.ReportedLostAgain}, cuts {_estimator.Decreases}), pacer {_pacer.QueuedPackets} queued";

    public bool Send(byte[] buffer, int length, PacketPriority priority) =>
        _pacer.Send(buffer, length, priority, Stopwatch.GetTimestamp());

    bool IPacedTransport.Transmit(byte[] buffer, int length, PacketPriority priority, long now)
    {
        int id = _peer.Media.TransportCcExtensionId;
        bool stamped = id != 0 && TransportSequenceNumber.TryStamp(buffer.AsSpan(0, length), id, _sequence);
        if (!_peer.TransmitRtp(buffer, length))
        {
            return false; // never on the wire: its number goes to the next packet, not into the loss count
        }
        if (stamped)
        {
            _estimator.OnPacketSent(_sequence, length + WireOverheadBytes, StopwatchTicks.ToMicroseconds(now));
            _sequence++;
        }
        if (priority != PacketPriority.Padding)
        {
            _mediaBytesInWindow += length + WireOverheadBytes;
        }
        return true;
    }

    /// <summary>A transport-wide feedback packet from the subscriber (RTPFB FMT 15). False when malformed.</summary>
    public bool OnFeedback(ReadOnlySpan<byte> packet, long now)
    {
        if (!RtcpTransportFeedback.TryParse(packet, out RtcpTransportFeedback feedback)
            || !feedback.TryRead(_results, out int count))
        {
            return false;
        }
        _estimator.OnFeedback(_results.AsSpan(0, count), StopwatchTicks.ToMicroseconds(now));
        return true;
    }

    public void OnTick(long now)
    {
        PeerMediaTable media = _peer.Media;
        MeasureMediaRate(now);
        if (media.PlayoutDelayExtensionId != 0 && now >= _nextRepairDelay)
        {
            _nextRepairDelay = now + AllocationIntervalTicks;
            foreach (Consumer consumer in media.Consumers)
            {
                consumer.SetPlayoutDelay(RepairDelayPolicy.Choose(consumer, now));
            }
        }
        if (media.TransportCcExtensionId == 0)
        {
            if (_limited)
            {
                _limited = false;
                _pacer.SetRate(0);
                BitrateAllocator.Unlimit(media.Consumers);
            }
            _pacer.OnTick(now);
            return;
        }
        _limited = true;
        if (now >= _nextAllocation)
        {
            _nextAllocation = now + AllocationIntervalTicks;
            long estimate = _estimator.EstimateBitsPerSecond;
            _desired = BitrateAllocator.Allocate(media.Consumers, estimate, now, _estimator.IsCongested(StopwatchTicks.ToMicroseconds(now)));
            _pacer.SetRate((long)(estimate * PacingFactor));
            MediaMetrics.ObserveSubscriberEstimate(estimate);
        }
        _pacer.OnTick(now);
        SendPadding(media, now);
        if (_pacer.Dropped != _reportedDrops)
        {
            MediaMetrics.PacerDropped(_pacer.Dropped - _reportedDrops);
            _reportedDrops = _pacer.Dropped;
        }
    }

    /// <summary>Returns every queued buffer to the pool (the peer closed; the media loop no longer sends).</summary>
    public void Clear() => _pacer.Clear();

    private void MeasureMediaRate(long now)
    {
        if (_rateWindowStart == 0)
        {
            _rateWindowStart = now;
            return;
        }
        long elapsed = now - _rateWindowStart;
        if (elapsed >= RateWindowTicks)
        {
            _mediaBitsPerSecond = _mediaBytesInWindow * 8 * Stopwatch.Frequency / elapsed;
            _mediaBytesInWindow = 0;
            _rateWindowStart = now;
        }
    }

    /// <summary>
    /// Padding for this tick at the rate the estimator asks for, spread over the consumers that have an RTX
    /// stream; only when nothing is waiting in the pacer (padding never delays media).
    /// </summary>
    private void SendPadding(PeerMediaTable media, long now)
    {
        long elapsed = _lastPadding == 0 ? 0 : now - _lastPadding;
        _lastPadding = now;
        if (_pacer.QueuedPackets > 0 || media.Consumers.Length == 0)
        {
            _paddingCredit = 0;
            return;
        }
        long rate = _estimator.PaddingBitsPerSecond(_mediaBitsPerSecond, _desired, StopwatchTicks.ToMicroseconds(now));
        if (rate <= 0)
        {
            _paddingCredit = 0;
            return;
        }
        _paddingCredit = Math.Min(_paddingCredit + rate / 8.0 * elapsed / Stopwatch.Frequency, rate / 8.0 * 0.05);
        Consumer[] consumers = media.Consumers;
        int misses = 0;
        while (_paddingCredit >= ConsumerPaddingSize && misses < consumers.Length)
        {
            Consumer c = consumers[_paddingCursor++ % consumers.Length];
            int sent = c.SendPadding(ConsumerPaddingSize);
            if (sent == 0)
            {
                misses++;
                continue;
            }
            misses = 0;
            _paddingCredit -= sent + WireOverheadBytes;
            MediaMetrics.PaddingSent(sent);
        }
    }

    private const int ConsumerPaddingSize = 240;

}
