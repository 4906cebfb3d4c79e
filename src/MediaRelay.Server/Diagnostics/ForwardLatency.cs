using System.Diagnostics;
using MediaRelay.Sfu;
using Prometheus;

namespace MediaRelay.Server.Diagnostics;

/// <summary>
/// mediarelay_forward_latency_seconds: for every forwarded RTP packet, the time from the receive loop taking the
/// datagram off the socket to the protected copy leaving through sendto, pacing queue included. The histogram's
/// observe is lock-free and allocation-free.
/// </summary>
public static class ForwardLatency
{
    private static readonly Histogram Histogram = Prometheus.Metrics.CreateHistogram(
        "mediarelay_forward_latency_seconds",
        "Per forwarded RTP packet: from the server reading the datagram to sending the subscriber's copy (pacing included).",
        new HistogramConfiguration
        {
            Buckets = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
        });

    private static readonly double SecondsPerTick = 1.0 / Stopwatch.Frequency;

    public static void EnsureRegistered() => _ = Histogram;

    /// <summary>A packet left just now; timed from <see cref="IngressClock.Current"/> when it is a forward.</summary>
    public static void OnSent()
    {
        long ingress = IngressClock.Current;
        if (ingress != 0)
        {
            long now = Stopwatch.GetTimestamp();
            Histogram.Observe(Math.Max(0, now - ingress) * SecondsPerTick);
        }
    }
}
