using System.Text;
using Prometheus;

namespace MediaRelay.Server.Diagnostics;

/// <summary>
/// Prometheus instruments of the media plane. The packet path only adds to plain 64-bit counters (one interlocked
/// add, no label lookup, no allocation); they are copied into the Prometheus counters just before each scrape.
/// </summary>
public static class MediaMetrics
{
    private static readonly long[] DropCounts = new long[Enum.GetValues<DropReason>().Length];
    private static long _received;
    private static long _receivedBytes;
    private static long _sent;
    private static long _sentBytes;
    private static long _forwarded;
    private static long _keyFrameRequests;
    private static long _nackReceived;
    private static readonly long[] KeyFrameRequestsReceived = new long[2];
    private static long _nackedPackets;
    private static long _retransmittedPackets;
    private static long _paddingBytes;
    private static long _pacerDrops;
    private static long _transportFeedback;

    private static readonly Counter DroppedCounter = Prometheus.Metrics.CreateCounter(
        "mediarelay_dropped_packets_total", "Datagrams or RTCP items dropped by the media loop, by reason.",
        new CounterConfiguration { LabelNames = ["reason"] });

    private static readonly Counter.Child[] Dropped = CreateDropChildren();

    private static readonly Counter ReceivedCounter = Prometheus.Metrics.CreateCounter(
        "mediarelay_received_packets_total", "Datagrams received on the media port.");

    private static readonly Counter ReceivedBytesCounter = Prometheus.Metrics.CreateCounter(
        "mediarelay_received_bytes_total", "Bytes of the datagrams received on the media port.");

    private static readonly Counter SentCounter = Prometheus.Metrics.CreateCounter(
        "mediarelay_sent_packets_total", "Datagrams sent from the media port (media, RTCP, STUN, DTLS).");

    private static readonly Counter SentBytesCounter = Prometheus.Metrics.CreateCounter(
        "mediarelay_sent_bytes_total", "Bytes of the datagrams sent from the media port.");

    private static readonly Counter NackReceivedCounter = Prometheus.Metrics.CreateCounter(
        "mediarelay_nack_received_packets_total", "Packets subscribers reported lost and asked to be resent (RFC 4585 NACK).");

    private static readonly Counter KeyFrameRequestReceivedCounter = Prometheus.Metrics.CreateCounter(
        "mediarelay_keyframe_requests_received_total", "Key-frame requests received from subscribers, by type (pli, fir).",
        new CounterConfiguration { LabelNames = ["type"] });

    private static readonly Counter.Child[] KeyFrameRequestsReceivedChildren =
        [KeyFrameRequestReceivedCounter.WithLabels("pli"), KeyFrameRequestReceivedCounter.WithLabels("fir")];

    private static readonly Counter ForwardedCounter = Prometheus.Metrics.CreateCounter(
        "mediarelay_forwarded_packets_total", "RTP packets sent to subscribers.");

    private static readonly Counter AllocatedBytesCounter = Prometheus.Metrics.CreateCounter(
        "mediarelay_allocated_bytes_total",
        "Bytes the process has allocated on the managed heap (GC.GetTotalAllocatedBytes); its rate is the allocation rate, flat on a steady packet path.");

    private static readonly Counter NackedCounter = Prometheus.Metrics.CreateCounter(
        "mediarelay_nacked_packets_total", "Lost packets the server asked publishers to resend (RFC 4585 NACK).");

    private static readonly Counter RetransmittedCounter = Prometheus.Metrics.CreateCounter(
        "mediarelay_retransmitted_packets_total", "Packets resent to subscribers that reported them lost.");

    private static readonly Counter KeyFrameRequestCounter = Prometheus.Metrics.CreateCounter(
        "mediarelay_keyframe_requests_total", "Key-frame requests sent to publishers (after the 500 ms throttle), by type; the server sends PLI.",
        new CounterConfiguration { LabelNames = ["type"] });

    private static readonly Counter.Child PliSentCounter = KeyFrameRequestCounter.WithLabels("pli");
    private static readonly Counter.Child FirSentCounter = KeyFrameRequestCounter.WithLabels("fir");

    private static readonly Counter PaddingCounter = Prometheus.Metrics.CreateCounter(
        "mediarelay_padding_bytes_total", "Padding sent to subscribers to probe their bandwidth (RTX padding).");

    private static readonly Counter PacerDropCounter = Prometheus.Metrics.CreateCounter(
        "mediarelay_pacer_dropped_packets_total", "Video or padding packets a subscriber's pacer dropped on overflow.");

    private static readonly Counter TransportFeedbackCounter = Prometheus.Metrics.CreateCounter(
        "mediarelay_transport_feedback_total", "Transport-wide congestion control feedback packets received from subscribers.");

    private static readonly Histogram SubscriberEstimate = Prometheus.Metrics.CreateHistogram(
        "mediarelay_subscriber_estimate_bits_per_second",
        "Send-side bandwidth estimates of subscribers' paths (sampled every 100 ms per subscriber).",
        new HistogramConfiguration { Buckets = [100_000, 250_000, 500_000, 750_000, 1_000_000, 1_500_000, 2_000_000, 3_000_000, 5_000_000, 10_000_000] });

    public static readonly Gauge ConnectedPeers = Prometheus.Metrics.CreateGauge(
        "mediarelay_connected_peers", "Peers with a completed DTLS-SRTP handshake.");

    public static readonly Gauge Rooms = Prometheus.Metrics.CreateGauge(
        "mediarelay_rooms", "Rooms with at least one participant.");

    private static readonly Gauge LoopStallGauge = Prometheus.Metrics.CreateGauge(
        "mediarelay_media_loop_max_stall_seconds",
        "The longest gap between two media-loop ticks since the previous scrape (ticks are due every 5 ms; a longer gap means the loop was busy with one burst, blocked or starved of CPU).");

    private static long _maxLoopGapTicks;

    private static readonly Counter SignalingErrorCounter = Prometheus.Metrics.CreateCounter(
        "mediarelay_signaling_errors_total", "Refused signaling requests and joins, by reason.",
        new CounterConfiguration { LabelNames = ["reason"] });

    static MediaMetrics() => Prometheus.Metrics.DefaultRegistry.AddBeforeCollectCallback(Publish);

    /// <summary>Touches the type so its static instruments are created (and exported as zeros) at start-up.</summary>
    public static void EnsureRegistered()
    {
        _ = Dropped.Length;
        FirSentCounter.IncTo(0);
        foreach (string reason in KnownSignalingErrors)
        {
            SignalingErrorCounter.WithLabels(reason); // exported as 0, so rate() sees a reason's first error too
        }
        LinkMetrics.EnsureRegistered();
        SessionMetrics.EnsureRegistered();
        ForwardLatency.EnsureRegistered();
    }

    public static void Drop(DropReason reason) => Interlocked.Increment(ref DropCounts[(int)reason]);

    public static void PacketReceived(int bytes)
    {
        Interlocked.Increment(ref _received);
        Interlocked.Add(ref _receivedBytes, bytes);
    }

    /// <summary>A datagram of <paramref name="bytes"/> went out of the media port (any thread).</summary>
    public static void DatagramSent(int bytes)
    {
        Interlocked.Increment(ref _sent);
        Interlocked.Add(ref _sentBytes, bytes);
    }

    public static void NackReceived(int packets) => Interlocked.Add(ref _nackReceived, packets);

    public static void KeyFrameRequestReceived(KeyFrameRequestType type) => Interlocked.Increment(ref KeyFrameRequestsReceived[(int)type]);

    public static void PacketForwarded() => Interlocked.Increment(ref _forwarded);

    public static void KeyFrameRequested() => Interlocked.Increment(ref _keyFrameRequests);

    public static void NackSent(int packets) => Interlocked.Add(ref _nackedPackets, packets);

    public static void Retransmitted(long packets) => Interlocked.Add(ref _retransmittedPackets, packets);

    public static void PaddingSent(int bytes) => Interlocked.Add(ref _paddingBytes, bytes);

    public static void PacerDropped(long packets) => Interlocked.Add(ref _pacerDrops, packets);

    public static void TransportFeedbackReceived() => Interlocked.Increment(ref _transportFeedback);

    public static long TransportFeedbackCount => Interlocked.Read(ref _transportFeedback);

    public static long PacerDroppedCount => Interlocked.Read(ref _pacerDrops);

    public static long PaddingBytes => Interlocked.Read(ref _paddingBytes);

    /// <summary>One subscriber's current estimate (media loop, every 100 ms per subscriber; lock-free).</summary>
    public static void ObserveSubscriberEstimate(long bitsPerSecond) => SubscriberEstimate.Observe(bitsPerSecond);

    public static long RetransmittedCount => Interlocked.Read(ref _retransmittedPackets);

    public static long NackedCount => Interlocked.Read(ref _nackedPackets);

    public static double DroppedCount(DropReason reason) => Interlocked.Read(ref DropCounts[(int)reason]);

    public static long ForwardedCount => Interlocked.Read(ref _forwarded);

    /// <summary>Copies the packet-path counters into the Prometheus instruments (scrape time, any thread).</summary>
    private static void Publish()
    {
        for (int i = 0; i < Dropped.Length; i++)
        {
            Dropped[i].IncTo(Interlocked.Read(ref DropCounts[i]));
        }
        ReceivedCounter.IncTo(Interlocked.Read(ref _received));
        ReceivedBytesCounter.IncTo(Interlocked.Read(ref _receivedBytes));
        SentCounter.IncTo(Interlocked.Read(ref _sent));
        SentBytesCounter.IncTo(Interlocked.Read(ref _sentBytes));
        NackReceivedCounter.IncTo(Interlocked.Read(ref _nackReceived));
        for (int i = 0; i < KeyFrameRequestsReceivedChildren.Length; i++)
        {
            KeyFrameRequestsReceivedChildren[i].IncTo(Interlocked.Read(ref KeyFrameRequestsReceived[i]));
        }
        ForwardedCounter.IncTo(Interlocked.Read(ref _forwarded));
        PliSentCounter.IncTo(Interlocked.Read(ref _keyFrameRequests));
        NackedCounter.IncTo(Interlocked.Read(ref _nackedPackets));
        RetransmittedCounter.IncTo(Interlocked.Read(ref _retransmittedPackets));
        PaddingCounter.IncTo(Interlocked.Read(ref _paddingBytes));
        PacerDropCounter.IncTo(Interlocked.Read(ref _pacerDrops));
        TransportFeedbackCounter.IncTo(Interlocked.Read(ref _transportFeedback));
        AllocatedBytesCounter.IncTo(GC.GetTotalAllocatedBytes(precise: false));
        LoopStallGauge.Set((double)Interlocked.Exchange(ref _maxLoopGapTicks, 0) / System.Diagnostics.Stopwatch.Frequency);
    }

    /// <summary>The media loop: the time since its previous tick (Stopwatch ticks). Allocation-free.</summary>
    public static void ObserveLoopGap(long stopwatchTicks)
    {
        if (stopwatchTicks > Volatile.Read(ref _maxLoopGapTicks))
        {
            Volatile.Write(ref _maxLoopGapTicks, stopwatchTicks);
        }
    }

    private static readonly string[] KnownSignalingErrors =
    [
        "bad-json", "bad-message", "unknown-type", "bad-room", "room-full", "token-expired", "token-wrong-room", "token-invalid",
        "already-joined", "not-joined", "bad-sdp", "bad-layout", "unknown-producer",
    ];

    public static void SignalingError(string reason) => SignalingErrorCounter.WithLabels(reason).Inc();

    public static double SignalingErrorCount(string reason) => SignalingErrorCounter.WithLabels(reason).Value;

    public static string LabelOf(DropReason reason)
    {
        string name = reason.ToString();
        var sb = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                sb.Append('_');
            }
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }

    private static Counter.Child[] CreateDropChildren()
    {
        DropReason[] reasons = Enum.GetValues<DropReason>();
        var children = new Counter.Child[reasons.Length];
        foreach (DropReason r in reasons)
        {
            children[(int)r] = DroppedCounter.WithLabels(LabelOf(r));
        }
        return children;
    }
}

/// <summary>RFC 4585 §6.3.1 Picture Loss Indication, RFC 5104 §4.3.1 Full Intra Request.</summary>
public enum KeyFrameRequestType
{
    Pli = 0,
    Fir = 1,
}
