using MediaRelay.Server.Recording;
using Prometheus;

namespace MediaRelay.Server.Diagnostics;

/// <summary>
/// Prometheus instruments of the recorder, process-wide and without per-room labels. Nothing here touches the packet
/// path: at scrape time the figures are summed from the running sessions' own counters (taps, writer thread,
/// journals) plus the totals of sessions that have ended.
/// </summary>
public static class RecordingMetrics
{
    private static readonly object Gate = new();
    private static readonly List<RecordingSession> Running = [];
    private static long _endedPackets;
    private static long _endedDropped;
    private static long _endedBytes;

    private static readonly Gauge Active = Prometheus.Metrics.CreateGauge(
        "mediarelay_recordings_active", "Recordings running now.");

    private static readonly Counter Packets = Prometheus.Metrics.CreateCounter(
        "mediarelay_recording_packets_total", "RTP packets written to recording journals.");

    private static readonly Counter Dropped = Prometheus.Metrics.CreateCounter(
        "mediarelay_recording_dropped_packets_total",
        "Packets taken for recording but not written: the queue to the writer was full (the disk fell behind), or the recording had failed.");

    private static readonly Counter Bytes = Prometheus.Metrics.CreateCounter(
        "mediarelay_recording_bytes_written_total", "Bytes written to recording journals (encrypted size on disk).");

    private static readonly Gauge QueueDepth = Prometheus.Metrics.CreateGauge(
        "mediarelay_recording_queue_depth", "Packets waiting in the recorders' queues for the writer threads.");

    private static readonly Counter Failures = Prometheus.Metrics.CreateCounter(
        "mediarelay_recording_failures_total", "Recordings that failed, by reason (disk_full, io_error, finalize).",
        new CounterConfiguration { LabelNames = ["reason"] });

    static RecordingMetrics() => Prometheus.Metrics.DefaultRegistry.AddBeforeCollectCallback(Publish);

    /// <summary>Creates the instruments so they are exported (as zeros) from start-up.</summary>
    public static void EnsureRegistered()
    {
        foreach (string reason in new[] { "disk_full", "io_error", "finalize" })
        {
            Failures.WithLabels(reason);
        }
    }

    internal static void Started(RecordingSession session)
    {
        lock (Gate)
        {
            Running.Add(session);
        }
    }

    /// <summary>A session's writer has stopped: its final figures move into the totals (never counted twice).</summary>
    internal static void Ended(RecordingSession session)
    {
        lock (Gate)
        {
            if (Running.Remove(session))
            {
                _endedPackets += session.PacketsWritten;
                _endedDropped += session.Dropped;
                _endedBytes += session.BytesWritten;
            }
        }
    }

    public static void Failed(string reason) => Failures.WithLabels(reason).Inc();

    public static double FailureCount(string reason) => Failures.WithLabels(reason).Value;

    private static void Publish()
    {
        lock (Gate)
        {
            long packets = _endedPackets, dropped = _endedDropped, bytes = _endedBytes, depth = 0;
            foreach (RecordingSession session in Running)
            {
                packets += session.PacketsWritten;
                dropped += session.Dropped;
                bytes += session.BytesWritten;
                depth += session.Queue.Count;
            }
            Active.Set(Running.Count);
            Packets.IncTo(packets);
            Dropped.IncTo(dropped);
            Bytes.IncTo(bytes);
            QueueDepth.Set(depth);
        }
    }
}
