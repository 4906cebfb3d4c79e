using System.Diagnostics;
using MediaRelay.Sfu;
using Prometheus;

namespace MediaRelay.Server.Diagnostics;

/// <summary>
/// mediarelay_forward_latency_seconds: for every forwarded RTP packet, the time from the datagram's arrival at the
/// media socket (the kernel's stamp, so a wait in the socket buffer counts) to the protected copy leaving through
/// sendto, pacing queue included. The histogram's
/// observe is lock-free and allocation-free.
/// </summary>
public static class ForwardLatency
{
    private static readonly Histogram Histogram = Prometheus.Metrics.CreateHistogram(
        "mediarelay_forward_latency_seconds",
        "Per forwarded RTP packet: from the server reading the datagram to sending the subscriber's copy (pacing included).",
        new HistogramConfiguration
        {
            // From 10 µs, about 1.5× apart below 10 ms so quantiles interpolate within ~20 %.
            Buckets =
            [
                0.00001, 0.00002, 0.00003, 0.00005, 0.000075, 0.0001, 0.00015, 0.0002, 0.0003, 0.0004, 0.0005, 0.00075,
                0.001, 0.0015, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 1,
            ],
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
