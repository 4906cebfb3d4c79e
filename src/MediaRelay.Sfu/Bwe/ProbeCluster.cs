namespace MediaRelay.Sfu.Bwe;

/// <summary>
/// Measures one probe cluster: every packet (media and padding) sent while a probe ran, and what the transport-wide
/// feedback says about them (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1 arrival times). The result is
/// min(send rate, receive rate), or 0.95 × the receive rate when the link is saturated (receive &lt; 0.9 × send);
/// no result with fewer than 5 packets received, less than 80 % received, spans under 5 ms, or send/receive above
/// 2 (a burst no link explains). Rates leave out the last-sent / first-arrived packet (a span of n packets
/// carries n − 1 packets' bytes). Zero allocation.
/// </summary>
internal sealed class ProbeCluster
{
    private const int MinReceivedPackets = 5;
    private const double MinReceivedRatio = 0.8;
    private const long MinSpanMicros = 5_000;
    private const double MaxSendToReceiveRatio = 2.0;
    private const double SaturatedRatio = 0.9;
    private const double SaturatedUtilization = 0.95;

    private long _firstSend;
    private long _lastSend;
    private int _lastSentSize;
    private long _sentBytes;
    private long _firstArrival;
    private int _firstArrivalSize;
    private long _lastArrival;
    private long _receivedBytes;
    private int _lost;

    /// <summary>Identifies the cluster's packets in the estimator's send history; 0 means none.</summary>
    public int Id { get; private set; }

    public int SentPackets { get; private set; }

    public int ReceivedPackets { get; private set; }

    public bool FullyReported => SentPackets > 0 && ReceivedPackets + _lost >= SentPackets;

    public void Start(int id)
    {
        Id = id;
        SentPackets = 0;
        ReceivedPackets = 0;
        _lost = 0;
        _sentBytes = 0;
        _receivedBytes = 0;
    }

    public void OnSent(int size, long sendMicros)
    {
        if (SentPackets == 0)
        {
            _firstSend = sendMicros;
            _lastSend = sendMicros;
        }
        SentPackets++;
        _sentBytes += size;
        _lastSend = Math.Max(_lastSend, sendMicros);
        _lastSentSize = size;
    }

    public void OnLost() => _lost++;

    public void OnReceived(int size, long arrivalMicros)
    {
        if (ReceivedPackets == 0 || arrivalMicros < _firstArrival)
        {
            _firstArrival = arrivalMicros;
            _firstArrivalSize = size;
        }
        if (ReceivedPackets == 0 || arrivalMicros > _lastArrival)
        {
            _lastArrival = arrivalMicros;
        }
        ReceivedPackets++;
        _receivedBytes += size;
    }

    /// <summary>The probed rate in bits per second, or 0 when the cluster does not support one.</summary>
    public long BitsPerSecond()
    {
        if (ReceivedPackets < MinReceivedPackets || ReceivedPackets < MinReceivedRatio * SentPackets)
        {
            return 0;
        }
        long sendSpan = _lastSend - _firstSend;
        long receiveSpan = _lastArrival - _firstArrival;
        if (sendSpan < MinSpanMicros || receiveSpan < MinSpanMicros)
        {
            return 0;
        }
        double sendRate = (_sentBytes - _lastSentSize) * 8e6 / sendSpan;
        double receiveRate = (_receivedBytes - _firstArrivalSize) * 8e6 / receiveSpan;
        if (sendRate > MaxSendToReceiveRatio * receiveRate)
        {
            return 0;
        }
        double rate = receiveRate < SaturatedRatio * sendRate ? SaturatedUtilization * receiveRate : Math.Min(sendRate, receiveRate);
        return (long)rate;
    }
}
