namespace MediaRelay.Sfu.Bwe;

/// <summary>
/// Decides how much padding to send on top of app-limited media so the acked rate can follow the estimate up to
/// what the allocator wants (the probing of draft-ietf-rmcat-gcc-02 §5 as libwebrtc does it, written anew):
/// <list type="bullet">
/// <item>none while the estimate already reaches the target, while over-using or within 1.5 s of a decrease, or
/// when media alone meets the estimate;</item>
/// <item>otherwise padding fills media up to the estimate, so the delay-based estimator sees a busy link;</item>
/// <item>and probe clusters: for at least 150 ms and 10 packets (at most 500 ms) media + padding run at
/// min(target, 2 × estimate). A cluster reaching 75 % of its rate lets the next one start as soon as its feedback is
/// in (exponential probing); after a weaker one, or none within 1 s, the next waits 3 s and runs at 1.5 × estimate
/// (less queue on a path that is likely still capped). No cluster starts within 3 s of a
/// decrease: the estimate sits at a capacity just measured.</item>
/// </list>
/// Time in µs; zero allocation.
/// </summary>
internal sealed class ProbeController
{
    private const long ClusterMinMicros = 150_000;
    private const long ClusterMaxMicros = 500_000;
    private const int ClusterMinPackets = 10;
    private const long ResultTimeoutMicros = 1_000_000;
    private const long RetryMicros = 3_000_000;
    private const long BackOffMicros = 1_500_000;
    private const double ProbeGain = 2.0;
    private const double RetryProbeGain = 1.5;
    private const double SuccessRatio = 0.75;

    private readonly ProbeCluster _cluster = new();
    private int _nextId;
    private bool _sending;
    private bool _awaiting;
    private long _start;
    private long _closedAt;
    private long _target;
    private long _nextProbeAt = long.MinValue;
    private bool _lastFailed;

    /// <summary>The last completed cluster's measured rate (0 when it supported none).</summary>
    public long LastResultBitsPerSecond { get; private set; }

    public int ClustersStarted { get; private set; }

    public bool IsProbing => _sending;

    /// <summary>Records a sent packet; returns the id of the cluster it belongs to, or 0.</summary>
    public int OnPacketSent(int size, long sendMicros)
    {
        if (!_sending || sendMicros < _start)
        {
            return 0;
        }
        if (WindowDone(sendMicros))
        {
            Close(sendMicros);
            return 0;
        }
        _cluster.OnSent(size, sendMicros);
        return _cluster.Id;
    }

    /// <summary>Feedback about a packet of cluster <paramref name="clusterId"/>.</summary>
    public void OnPacketReported(int clusterId, bool received, int size, long arrivalMicros)
    {
        if (clusterId != _cluster.Id || !(_sending || _awaiting))
        {
            return;
        }
        if (received)
        {
            _cluster.OnReceived(size, arrivalMicros);
        }
        else
        {
            _cluster.OnLost();
        }
    }

    /// <summary>After a feedback: the finished cluster's rate once all its packets are reported (else 0).</summary>
    public long TakeResult(long nowMicros)
    {
        if (!_awaiting || (!_cluster.FullyReported && nowMicros - _closedAt < ResultTimeoutMicros))
        {
            return 0;
        }
        _awaiting = false;
        long rate = _cluster.BitsPerSecond();
        LastResultBitsPerSecond = rate;
        _lastFailed = rate < SuccessRatio * _target;
        _nextProbeAt = _lastFailed ? nowMicros + RetryMicros : nowMicros;
        return rate;
    }

    /// <summary>Padding in bits per second; <paramref name="targetBitsPerSecond"/> is what the estimate should reach.</summary>
    /// <param name="sinceDecreaseMicros">Time since the estimate was last cut: padding waits 1.5 s, probes 3 s.</param>
    public long PaddingBitsPerSecond(
        long mediaBitsPerSecond, long targetBitsPerSecond, long estimateBitsPerSecond, bool overusing, long sinceDecreaseMicros, long nowMicros)
    {
        if (_sending && WindowDone(nowMicros))
        {
            Close(nowMicros);
        }
        if (_awaiting && nowMicros - _closedAt >= ResultTimeoutMicros)
        {
            _awaiting = false;
            LastResultBitsPerSecond = 0;
            _lastFailed = true;
            _nextProbeAt = nowMicros + RetryMicros;
        }
        if (overusing || sinceDecreaseMicros < BackOffMicros || estimateBitsPerSecond >= targetBitsPerSecond || mediaBitsPerSecond >= estimateBitsPerSecond)
        {
            if (_sending)
            {
                Close(nowMicros);
            }
            return 0;
        }
        if (!_sending && !_awaiting && nowMicros >= _nextProbeAt && sinceDecreaseMicros >= RetryMicros)
        {
            double gain = _lastFailed ? RetryProbeGain : ProbeGain;
            Start(Math.Min(targetBitsPerSecond, (long)(gain * estimateBitsPerSecond)), nowMicros);
        }
        long fill = _sending ? _target : estimateBitsPerSecond;
        return Math.Max(0, fill - mediaBitsPerSecond);
    }

    private bool WindowDone(long nowMicros) =>
        nowMicros - _start >= ClusterMaxMicros
        || (nowMicros - _start >= ClusterMinMicros && _cluster.SentPackets >= ClusterMinPackets);

    private void Start(long target, long nowMicros)
    {
        _nextId = _nextId == int.MaxValue ? 1 : _nextId + 1;
        _cluster.Start(_nextId);
        _target = target;
        _start = nowMicros;
        _sending = true;
        ClustersStarted++;
    }

    private void Close(long nowMicros)
    {
        _sending = false;
        _awaiting = true;
        _closedAt = nowMicros;
    }
}
