using System.Text;
using Prometheus;

namespace MediaRelay.Server.Diagnostics;

/// <summary>
/// Prometheus instruments of the media plane. Labelled children are resolved once into arrays so the packet path
/// only increments (no label lookup, no allocation).
/// </summary>
public static class MediaMetrics
{
    private static readonly Counter DroppedCounter = Prometheus.Metrics.CreateCounter(
        "mediarelay_dropped_packets_total", "Datagrams or RTCP items dropped by the media loop, by reason.",
        new CounterConfiguration { LabelNames = ["reason"] });

    private static readonly Counter.Child[] Dropped = CreateDropChildren();

    public static readonly Counter ReceivedPackets = Prometheus.Metrics.CreateCounter(
        "mediarelay_received_packets_total", "Datagrams received on the media port.");

    public static readonly Counter ForwardedPackets = Prometheus.Metrics.CreateCounter(
        "mediarelay_forwarded_packets_total", "RTP packets sent to subscribers.");

    public static readonly Counter KeyFrameRequests = Prometheus.Metrics.CreateCounter(
        "mediarelay_keyframe_requests_total", "PLI sent to publishers (after the 500 ms throttle).");

    public static readonly Gauge ConnectedPeers = Prometheus.Metrics.CreateGauge(
        "mediarelay_connected_peers", "Peers with a completed DTLS-SRTP handshake.");

    public static readonly Gauge Rooms = Prometheus.Metrics.CreateGauge(
        "mediarelay_rooms", "Rooms with at least one participant.");

    private static readonly Counter SignalingErrorCounter = Prometheus.Metrics.CreateCounter(
        "mediarelay_signaling_errors_total", "Refused signaling requests and joins, by reason.",
        new CounterConfiguration { LabelNames = ["reason"] });

    /// <summary>Touches the type so its static instruments are created (and exported as zeros) at start-up.</summary>
    public static void EnsureRegistered() => _ = Dropped.Length;

    public static void Drop(DropReason reason) => Dropped[(int)reason].Inc();

    public static double DroppedCount(DropReason reason) => Dropped[(int)reason].Value;

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
