using MediaRelay.Rtp.Rtcp;

namespace MediaRelay.Sfu.Bwe;

/// <summary>
/// Send-side bandwidth estimate from transport-wide feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01,
/// control per draft-ietf-rmcat-gcc-02 §5–6). Estimate = min(delay-based, loss-based), clamped to the options.
/// <para>Delay-based: sent packets are grouped into 5 ms send bursts (§5.2), and a packet that arrives within 5 ms of
/// its group's last arrival while its delay variation is negative joins that group too, up to 100 ms of arrivals:
/// a receiver whose network thread stalled stamps a backlog of packets at once, which is no queue on the path.
/// Each completed group's arrival-minus-send delta against the previous group feeds a <see cref="TrendlineEstimator"/>. Over-use: estimate = 0.85 × acked rate
/// (at most once per 200 ms; within 1.5 s of the last cut only while we still send ≥ 0.9 × estimate or ≥ 1.1 × acked)
/// and the acked rate is remembered as the link capacity. Under-use: hold. Normal: increase, additively by one
/// 1200-byte packet per 150 ms response time (64 kbps/s) while a capacity is known, else multiplicatively by 25 %/s;
/// a capacity is forgotten once the acked rate exceeds it by 10 %. The estimate never grows past 1.5 × acked rate +
/// 10 kbps, except by a probe.</para>
/// <para>Loss-based: loss fraction over windows of at least 20 reported packets and 500 ms. Above 10 %: estimate ×
/// (1 − 0.5 × loss), at most once per 300 ms. Below 2 %: grows by 25 %/s. Between: hold. It never exceeds the
/// delay-based estimate.</para>
/// <para>Probing (<see cref="PaddingBitsPerSecond"/>, <see cref="ProbeController"/>, <see cref="ProbeCluster"/>): a
/// probe cluster that measured more than the estimate, while not over-using and with loss ≤ 10 %, sets both
/// estimates to it.</para>
/// Acked rate: bytes of received packets over the last 500 ms of (remote) arrival time. Time in µs; zero allocation
/// per packet, per feedback and per padding decision.
/// </summary>
public sealed class SendSideBandwidthEstimator
{
    public const int HistorySize = 4096;
    private const int HistoryMask = HistorySize - 1;
    private const long GroupSpanMicros = 5_000;
    private const long BurstArrivalMicros = 5_000;
    private const long MaxBurstMicros = 100_000;
    private const double DecreaseFactor = 0.85;
    private const long DecreaseIntervalMicros = 200_000;
    private const double AdditiveBitsPerSecond = 1200 * 8 / 0.15;
    private const double MultiplicativePerSecond = 1.25;
    private const long BackOffMicros = 1_500_000;
    private const double CapacityResetFactor = 1.1;
    private const long AckedWindowMicros = 500_000;
    private const int AckedRingSize = 2048;
    private const int LossWindowPackets = 20;
    private const long LossWindowMicros = 500_000;
    private const double LossHigh = 0.10;
    private const double LossLow = 0.02;
    private const long LossDecreaseIntervalMicros = 300_000;
    private const long MaxIncreaseStepMicros = 1_000_000;
    private const long CongestionMemoryMicros = 2_000_000;

    private readonly BandwidthEstimatorOptions _options;
    private readonly TrendlineEstimator _trendline = new();

    private readonly int[] _sentSequence = new int[HistorySize]; // -1 empty
    private readonly int[] _sentSize = new int[HistorySize];
    private readonly long[] _sentMicros = new long[HistorySize];
    private readonly bool[] _reported = new bool[HistorySize];
    private readonly bool[] _lostCounted = new bool[HistorySize];
    private readonly int[] _sentCluster = new int[HistorySize];
    private readonly ProbeController _probe = new();
    private int _lastSentSequence = -1;

    private readonly long[] _ackedArrival = new long[AckedRingSize];
    private readonly int[] _ackedBytes = new int[AckedRingSize];
    private int _ackedHead;
    private int _ackedCount;
    private long _ackedSum;
    private long _firstArrival = long.MinValue;

    private bool _groupOpen;
    private long _groupFirstSend;
    private long _groupFirstArrival;
    private long _groupLastSend;
    private long _groupLastArrival;
    private bool _hasPreviousGroup;
    private long _previousLastSend;
    private long _previousLastArrival;

    private double _delayBased;
    private double _lossBased;
    private double _capacity = -1;
    private long _lastDecrease = long.MinValue / 2;
    private long _lastUpdate = long.MinValue;
    private int _lossTotal;
    private int _lossLost;
    private double _lastLossFraction;
    private long _lastLossDecrease = long.MinValue / 2;
    private long _lossWindowStart = long.MinValue;

    public SendSideBandwidthEstimator(BandwidthEstimatorOptions? options = null)
    {
        _options = options ?? new BandwidthEstimatorOptions();
        _delayBased = _options.InitialBitsPerSecond;
        _lossBased = _options.InitialBitsPerSecond;
        Array.Fill(_sentSequence, -1);
    }

    public long EstimateBitsPerSecond =>
        (long)Math.Clamp(Math.Min(_delayBased, _lossBased), _options.MinBitsPerSecond, _options.MaxBitsPerSecond);

    public long DelayBasedBitsPerSecond => (long)_delayBased;

    public long LossBasedBitsPerSecond => (long)_lossBased;

    public BandwidthUsage Usage => _trendline.State;

    /// <summary>Delay- or loss-based cuts of the estimate so far.</summary>
    public int Decreases { get; private set; }

    /// <summary>
    /// Whether the path signalled congestion lately: the delay trend over-uses now, or the estimate was cut (delay- or
    /// loss-based) within the last 2 s. Otherwise an estimate below what the subscriber now wants means only that the
    /// demand grew (a publisher's encoder ramped up) faster than the app-limited estimate followed it.
    /// </summary>
    public bool IsCongested(long nowMicros) =>
        _trendline.State == BandwidthUsage.Overusing
        || nowMicros - Math.Max(_lastDecrease, _lastLossDecrease) < CongestionMemoryMicros;

    /// <summary>Acked throughput over the last 500 ms of arrivals, or 0 before 100 ms of history.</summary>
    public long AckedBitsPerSecond
    {
        get
        {
            if (_ackedCount == 0)
            {
                return 0;
            }
            long latest = _ackedArrival[(_ackedHead - 1 + AckedRingSize) % AckedRingSize];
            long span = Math.Min(AckedWindowMicros, latest - _firstArrival);
            return span < 100_000 ? 0 : _ackedSum * 8 * 1_000_000 / span;
        }
    }

    /// <summary>Last loss fraction measured over a window of at least 20 packets.</summary>
    public double LossFraction => _lastLossFraction;

    /// <summary>The last finished probe cluster's measured rate (0 when it supported none or none finished).</summary>
    public long LastProbeBitsPerSecond => _probe.LastResultBitsPerSecond;

    /// <summary>Probe clusters started so far.</summary>
    public int ProbeClusters => _probe.ClustersStarted;

    /// <summary>
    /// Padding (e.g. RTX padding packets, each sent through <see cref="OnPacketSent"/> like media) to send on top of
    /// <paramref name="mediaBitsPerSecond"/> now, so the acked rate can lift the estimate towards
    /// <paramref name="desiredBitsPerSecond"/> × <see cref="BandwidthEstimatorOptions.PaddingHeadroom"/> (desired: the
    /// layers the allocator would pick with unlimited bandwidth). 0 once the estimate reaches that, while over-using
    /// or within 1.5 s of a decrease, and when media alone meets the estimate; otherwise it fills media up to the
    /// estimate, and during a probe cluster (see <see cref="ProbeController"/>) up to min(target, 2 × estimate).
    /// Call it every pacing interval (≤ 20 ms) with the same clock as <see cref="OnPacketSent"/>. No allocation.
    /// </summary>
    public long PaddingBitsPerSecond(long mediaBitsPerSecond, long desiredBitsPerSecond, long nowMicros)
    {
        mediaBitsPerSecond = Math.Max(0, mediaBitsPerSecond);
        long target = (long)Math.Clamp(desiredBitsPerSecond * _options.PaddingHeadroom, 0, _options.MaxBitsPerSecond);
        long sinceDecrease = nowMicros - Math.Max(_lastDecrease, _lastLossDecrease);
        return _probe.PaddingBitsPerSecond(
            mediaBitsPerSecond, target, EstimateBitsPerSecond, _trendline.State == BandwidthUsage.Overusing, sinceDecrease, nowMicros);
    }

    /// <summary>Statuses "not received" for a packet already counted lost (diagnostics).</summary>
    public long ReportedLostAgain { get; private set; }

    public void OnPacketSent(ushort transportSequence, int size, long sendMicros)
    {
        int slot = transportSequence & HistoryMask;
        _sentSequence[slot] = transportSequence;
        _sentSize[slot] = size;
        _sentMicros[slot] = sendMicros;
        _reported[slot] = false;
        _lostCounted[slot] = false;
        _sentCluster[slot] = _probe.OnPacketSent(size, sendMicros);
        _lastSentSequence = transportSequence;
    }

    /// <summary>Applies decoded feedback (see <see cref="RtcpTransportFeedback.TryRead"/>) received at <paramref name="nowMicros"/>.</summary>
    public void OnFeedback(ReadOnlySpan<RtcpTransportFeedback.PacketResult> results, long nowMicros)
    {
        for (int i = 0; i < results.Length; i++)
        {
            RtcpTransportFeedback.PacketResult result = results[i];
            int slot = result.Sequence & HistoryMask;
            if (_sentSequence[slot] != result.Sequence || _reported[slot])
            {
                continue; // unknown (too old) or already reported
            }
            if (!result.Received)
            {
                if (_lostCounted[slot])
                {
                    ReportedLostAgain++;
                    continue; // a receiver may report a gap again in its next feedback: one loss, counted once
                }
                _lostCounted[slot] = true;
                _lossTotal++;
                _lossLost++;
                if (_sentCluster[slot] != 0)
                {
                    _probe.OnPacketReported(_sentCluster[slot], false, 0, 0);
                    _sentCluster[slot] = 0; // counted lost once
                }
                continue; // a lost packet may still be reported received later; keep it open
            }
            _reported[slot] = true;
            if (!_lostCounted[slot])
            {
                _lossTotal++; // (a late arrival already counted lost stays counted once)
            }
            if (_sentCluster[slot] != 0)
            {
                _probe.OnPacketReported(_sentCluster[slot], true, _sentSize[slot], result.ArrivalMicros);
            }
            AddAcked(result.ArrivalMicros, _sentSize[slot]);
            AddToGroup(_sentMicros[slot], result.ArrivalMicros);
        }
        UpdateDelayBased(nowMicros);
        UpdateLossBased(nowMicros);
        ApplyProbeResult(_probe.TakeResult(nowMicros), nowMicros);
        _lastUpdate = nowMicros;
    }

    private void AddAcked(long arrival, int size)
    {
        if (_firstArrival == long.MinValue)
        {
            _firstArrival = arrival;
        }
        if (_ackedCount == AckedRingSize)
        {
            DropOldestAcked();
        }
        _ackedArrival[_ackedHead] = arrival;
        _ackedBytes[_ackedHead] = size;
        _ackedHead = (_ackedHead + 1) % AckedRingSize;
        _ackedCount++;
        _ackedSum += size;
        while (_ackedCount > 0 && _ackedArrival[(_ackedHead - _ackedCount + AckedRingSize) % AckedRingSize] < arrival - AckedWindowMicros)
        {
            DropOldestAcked();
        }
    }

    private void DropOldestAcked()
    {
        int tail = (_ackedHead - _ackedCount + AckedRingSize) % AckedRingSize;
        _ackedSum -= _ackedBytes[tail];
        _ackedCount--;
    }

    private void AddToGroup(long send, long arrival)
    {
        if (!_groupOpen)
        {
            StartGroup(send, arrival);
            return;
        }
        if (send < _groupFirstSend)
        {
            return; // reordered from an earlier group: no delay sample
        }
        if (send - _groupFirstSend <= GroupSpanMicros || BelongsToBurst(send, arrival))
        {
            _groupLastSend = Math.Max(_groupLastSend, send);
            _groupLastArrival = Math.Max(_groupLastArrival, arrival);
            return;
        }
        if (_hasPreviousGroup)
        {
            _trendline.Update(
                _groupLastArrival - _previousLastArrival, _groupLastSend - _previousLastSend, _groupLastArrival);
        }
        _hasPreviousGroup = true;
        _previousLastSend = _groupLastSend;
        _previousLastArrival = _groupLastArrival;
        StartGroup(send, arrival);
    }

    /// <summary>
    /// draft-ietf-rmcat-gcc-02 §5.2: a packet arriving less than 5 ms after the group's last one, with a negative
    /// inter-group delay variation, belongs to the group (bounded to 100 ms of arrivals).
    /// </summary>
    private bool BelongsToBurst(long send, long arrival)
    {
        long arrivalDelta = arrival - _groupLastArrival;
        long propagationDelta = arrivalDelta - (send - _groupLastSend);
        return propagationDelta < 0 && arrivalDelta <= BurstArrivalMicros && arrival - _groupFirstArrival < MaxBurstMicros;
    }

    private void StartGroup(long send, long arrival)
    {
        _groupOpen = true;
        _groupFirstSend = send;
        _groupFirstArrival = arrival;
        _groupLastSend = send;
        _groupLastArrival = arrival;
    }

    private void UpdateDelayBased(long now)
    {
        double seconds = _lastUpdate == long.MinValue ? 0 : Math.Min(now - _lastUpdate, MaxIncreaseStepMicros) / 1e6;
        long acked = AckedBitsPerSecond;
        switch (_trendline.State)
        {
            case BandwidthUsage.Overusing:
                if (acked > 0 && now - _lastDecrease >= DecreaseIntervalMicros && OwnSendingOverloads(acked, now))
                {
                    _capacity = _capacity < 0 || Math.Abs(acked - _capacity) > 0.3 * _capacity
                        ? acked
                        : (0.8 * _capacity) + (0.2 * acked);
                    _delayBased = Math.Min(_delayBased, DecreaseFactor * acked);
                    _lastDecrease = now;
                    Decreases++;
                }
                break;
            case BandwidthUsage.Normal:
                if (_capacity > 0 && acked > CapacityResetFactor * _capacity)
                {
                    _capacity = -1;
                }
                double increased = _capacity > 0
                    ? _delayBased + (AdditiveBitsPerSecond * seconds)
                    : _delayBased * Math.Pow(MultiplicativePerSecond, seconds);
                double ceiling = acked > 0 ? Math.Max(_delayBased, (1.5 * acked) + 10_000) : increased;
                _delayBased = Math.Min(increased, ceiling);
                break;
        }
        _delayBased = Math.Clamp(_delayBased, _options.MinBitsPerSecond, _options.MaxBitsPerSecond);
    }

    /// <summary>
    /// A probe that measured more than the estimate lifts both estimates to it (libwebrtc's SetEstimate +
    /// SetSendBitrate), unless the detector over-uses or loss is high; a known capacity it exceeds is forgotten.
    /// </summary>
    private void ApplyProbeResult(long probed, long now)
    {
        if (probed <= 0 || _trendline.State == BandwidthUsage.Overusing || _lastLossFraction > LossHigh || _lastDecrease == now)
        {
            return;
        }
        double rate = Math.Min(probed, _options.MaxBitsPerSecond);
        if (rate <= EstimateBitsPerSecond)
        {
            return;
        }
        _delayBased = Math.Max(_delayBased, rate);
        _lossBased = Math.Max(_lossBased, rate);
        if (_capacity > 0 && rate > CapacityResetFactor * _capacity)
        {
            _capacity = -1;
        }
    }

    /// <summary>
    /// Whether a further decrease answers our own sending: always outside the back-off after a decrease; within it
    /// only while we still send at ≥ 0.9 × the estimate or ≥ 1.1 × the acked rate. An app-limited sender that
    /// already backed off (stopped padding) would otherwise cut again on its own lower acked rate while the delay
    /// trend, spanning seconds of groups at low rates, still shows the old over-use.
    /// </summary>
    private bool OwnSendingOverloads(long acked, long now)
    {
        if (now - _lastDecrease >= BackOffMicros || _lastSentSequence < 0)
        {
            return true;
        }
        long bytes = 0;
        for (int i = 0; i < HistorySize; i++)
        {
            int sequence = (_lastSentSequence - i) & 0xFFFF;
            int slot = sequence & HistoryMask;
            if (_sentSequence[slot] != sequence || _sentMicros[slot] < now - AckedWindowMicros)
            {
                break;
            }
            bytes += _sentSize[slot];
        }
        long sent = bytes * 8 * 1_000_000 / AckedWindowMicros;
        return sent >= 0.9 * _delayBased || sent >= 1.1 * acked;
    }

    private void UpdateLossBased(long now)
    {
        if (_lossWindowStart == long.MinValue)
        {
            _lossWindowStart = now;
        }
        if (_lossTotal >= LossWindowPackets && now - _lossWindowStart >= LossWindowMicros)
        {
            _lossWindowStart = now;
            _lastLossFraction = (double)_lossLost / _lossTotal;
            _lossTotal = 0;
            _lossLost = 0;
            if (_lastLossFraction > LossHigh && now - _lastLossDecrease >= LossDecreaseIntervalMicros)
            {
                _lossBased = Math.Min(_lossBased, _delayBased) * (1 - (0.5 * _lastLossFraction));
                _lastLossDecrease = now;
                Decreases++;
            }
        }
        if (_lastLossFraction < LossLow && _lastUpdate != long.MinValue)
        {
            double seconds = Math.Min(now - _lastUpdate, MaxIncreaseStepMicros) / 1e6;
            _lossBased *= Math.Pow(MultiplicativePerSecond, seconds);
        }
        _lossBased = Math.Clamp(Math.Min(_lossBased, _delayBased), _options.MinBitsPerSecond, _options.MaxBitsPerSecond);
    }
}
