using MediaRelay.Rtp.Rtcp;
using Prometheus;

namespace MediaRelay.Server.Diagnostics;

/// <summary>
/// The quality of the links to participants, from RTCP report blocks (RFC 3550 §6.4.1): what subscribers report
/// about the streams we send them (loss, jitter, and the round trip from LSR/DLSR), and what we measure on the
/// streams publishers send us (the blocks of our own receiver reports). Labelled only by link direction. Observed
/// once per report block (about once a second per stream), allocation-free.
/// </summary>
public static class LinkMetrics
{
    private static readonly Histogram RoundTrip = Prometheus.Metrics.CreateHistogram(
        "mediarelay_rtt_seconds", "Round-trip time to subscribers, from their receiver reports (LSR/DLSR).",
        new HistogramConfiguration { Buckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2] });

    private static readonly Histogram Jitter = Prometheus.Metrics.CreateHistogram(
        "mediarelay_jitter_seconds",
        "RFC 3550 interarrival jitter per stream and report: link=\"subscriber\" as subscribers report it, link=\"publisher\" as the server measures it.",
        new HistogramConfiguration
        {
            LabelNames = ["link"],
            Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.5],
        });

    private static readonly Histogram Loss = Prometheus.Metrics.CreateHistogram(
        "mediarelay_loss_ratio",
        "Fraction of packets lost per stream since the previous report (RFC 3550 fraction lost), by link as for jitter.",
        new HistogramConfiguration
        {
            LabelNames = ["link"],
            Buckets = [0, 0.001, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.5, 1],
        });

    private static readonly Histogram.Child SubscriberJitter = Jitter.WithLabels("subscriber");
    private static readonly Histogram.Child PublisherJitter = Jitter.WithLabels("publisher");
    private static readonly Histogram.Child SubscriberLoss = Loss.WithLabels("subscriber");
    private static readonly Histogram.Child PublisherLoss = Loss.WithLabels("publisher");

    /// <summary>Creates the series so they are exported from the first scrape.</summary>
    public static void EnsureRegistered() => _ = RoundTrip;

    /// <summary>A subscriber's report block about a stream we send it; <paramref name="roundTrip"/> when LSR/DLSR gave one.</summary>
    public static void OnSubscriberReport(in RtcpReportBlock block, int clockRate, TimeSpan? roundTrip)
    {
        SubscriberJitter.Observe((double)block.Jitter / Math.Max(1, clockRate));
        SubscriberLoss.Observe(block.FractionLost / 256.0);
        if (roundTrip is { } rtt)
        {
            RoundTrip.Observe(rtt.TotalSeconds);
        }
    }

    /// <summary>A block of the receiver report we send a publisher: our measurement of its stream.</summary>
    public static void OnPublisherReport(in RtcpReportBlock block, int clockRate)
    {
        PublisherJitter.Observe((double)block.Jitter / Math.Max(1, clockRate));
        PublisherLoss.Observe(block.FractionLost / 256.0);
    }
}
