using System.Globalization;
using System.Text;
using MediaRelay.LoadTest.Measurement;
using MediaRelay.LoadTest.Reporting;

namespace MediaRelay.LoadTest.Recording;

/// <summary>
/// Judges a record run and writes it as Markdown. The recorder passes when, for every publisher stream, the packets
/// recorded (REST tracks[].packets) equal the packets the publisher sent with none dropped, every recording
/// finalized "complete", and the journal metric mediarelay_recording_packets_total equals the sum recorded with
/// mediarelay_recording_dropped_packets_total at 0. What subscribers missed is loopback loss, reported apart and
/// never failing the recorder check.
/// </summary>
internal sealed class RecordingReport
{
    private readonly LoadSettings _settings;
    private readonly int _rooms;
    private readonly double _seconds;
    private readonly RecordRunResult _on;
    private readonly List<string> _failures = [];
    private readonly List<string> _notes = [];
    private readonly List<string> _checks = [];

    public RecordingReport(LoadSettings settings, int rooms, double seconds, RecordRunResult result)
    {
        _settings = settings;
        _rooms = rooms;
        _seconds = seconds;
        _on = result;
        Judge();
    }

    public bool Passed => _failures.Count == 0;

    public IReadOnlyList<string> Failures => _failures;

    private void Judge()
    {
        int streams = _on.Streams.Count;
        int exact = _on.Streams.Count(s => s.Recorded == s.Sent);
        Check(_on.Streams.All(s => s.Sent > 0), $"every publisher stream sent media ({streams} streams)");
        Check(exact == streams, $"recorded == sent for {exact}/{streams} streams (Σ sent {_on.Sent:N0}, Σ recorded {_on.Recorded:N0})");
        Check(_on.Dropped == 0, $"dropped by the recorder (REST tracks[].dropped): {_on.Dropped:N0}");
        int complete = _on.RecordingStates.Count(s => s == "complete");
        Check(complete == _rooms, $"recordings finalized complete: {complete}/{_rooms}" +
            (complete == _rooms ? "" : " (" + string.Join(", ", _on.RecordingStates.Where(s => s != "complete")) + ")"));
        if (double.IsNaN(_on.JournalPackets))
        {
            _notes.Add("The server does not export mediarelay_recording_packets_total: the journal cross-check was skipped.");
        }
        else
        {
            Check(_on.JournalPackets == _on.Recorded,
                $"mediarelay_recording_packets_total {_on.JournalPackets:N0} == Σ recorded {_on.Recorded:N0}");
        }
        if (double.IsNaN(_on.JournalDropped))
        {
            _notes.Add("The server does not export mediarelay_recording_dropped_packets_total.");
        }
        else
        {
            Check(_on.JournalDropped == 0, $"mediarelay_recording_dropped_packets_total {_on.JournalDropped:N0} == 0");
        }
        if (!double.IsNaN(_on.ActiveAfterStop))
        {
            Check(_on.ActiveAfterStop == 0, $"mediarelay_recordings_active after stop: {_on.ActiveAfterStop:N0}");
        }
        if (!double.IsNaN(_on.QueueDepthAfterStop))
        {
            Check(_on.QueueDepthAfterStop == 0, $"mediarelay_recording_queue_depth after stop: {_on.QueueDepthAfterStop:N0}");
        }
        if (_on.UnattributedStreams > 0)
        {
            _notes.Add($"{_on.UnattributedStreams} subscriber streams never had a decryptable marker, so they were not attributed to a publisher.");
        }
        long shortfall = _on.Streams.Sum(s => s.SubscriberShortfall);
        long duplicates = _on.Streams.Sum(s => s.Duplicates);
        int subscriberStreams = _on.Streams.Sum(s => s.Subscribers);
        int whole = _on.Streams.Sum(s => s.SubscribersWithAll);
        _notes.Add(shortfall == 0 && duplicates == 0
            ? $"Forwarding: all {subscriberStreams} subscriber streams received exactly the packets sent (= recorded), none lost, none twice."
            : $"Forwarding (loopback, not the recorder): {whole}/{subscriberStreams} subscriber streams complete; subscribers missed {shortfall:N0} " +
              $"packets in all ({Ratio(shortfall, _on.Sent * _settings.SubscribersPerRoom):P4} of {_on.Sent * _settings.SubscribersPerRoom:N0} expected), {duplicates:N0} duplicates.");
        long maxOverRecorded = _on.Streams.Count(s => s.MaxReceived > s.Recorded);
        if (maxOverRecorded > 0)
        {
            Check(false, $"{maxOverRecorded} streams where a subscriber received more distinct packets than were recorded (the tap precedes the fan-out)");
        }
    }

    private void Check(bool ok, string what)
    {
        _checks.Add((ok ? "ok    " : "FAIL  ") + what);
        if (!ok)
        {
            _failures.Add(what);
        }
    }

    public string Markdown()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Recording proof: {_rooms} rooms of {_settings.PublishersPerRoom} publishers × {_settings.SubscribersPerRoom} subscribers, " +
            $"{_seconds:F0} s of load with AutoRecord on ({_on.Window.ForwardedPacketsPerSecond:N0} forwarded pps measured), " +
            $"every peer consenting on join; {_on.Files} files finalized, longest {_on.LongestDurationSeconds:F1} s.").AppendLine();
        text.AppendLine("| room | publisher | stream | sent | recorded | dropped | subscribers with every packet | subscriber min / max | recorded = sent |");
        text.AppendLine("|--:|--:|---|--:|--:|--:|--:|--:|:-:|");
        foreach (RecordedStream s in _on.Streams)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {s.Room} | {s.Publisher} | {s.Kind} | {s.Sent:N0} | {s.Recorded:N0} | {s.Dropped:N0} | {s.SubscribersWithAll}/{s.Subscribers} | " +
                $"{s.MinReceived:N0} / {s.MaxReceived:N0} | {(s.RecorderExact ? "yes" : "**no**")} |");
        }
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| all | | | {_on.Sent:N0} | {_on.Recorded:N0} | {_on.Dropped:N0} | {_on.Streams.Sum(s => s.SubscribersWithAll)}/{_on.Streams.Sum(s => s.Subscribers)} | | " +
            $"{(_on.Streams.All(s => s.RecorderExact) ? "yes" : "**no**")} |").AppendLine();

        text.AppendLine("| counter | value |").AppendLine("|---|--:|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Σ sent by the publishers | {_on.Sent:N0} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Σ recorded, REST tracks[].packets | {_on.Recorded:N0} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| mediarelay_recording_packets_total | {Figure(_on.JournalPackets)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| mediarelay_recording_dropped_packets_total | {Figure(_on.JournalDropped)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| mediarelay_recording_bytes_written_total | {Figure(_on.JournalBytes)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| mediarelay_recordings_active / recording_queue_depth after stop | {Figure(_on.ActiveAfterStop)} / {Figure(_on.QueueDepthAfterStop)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Σ sent × {_settings.SubscribersPerRoom} subscribers (forwards expected) | {_on.Sent * _settings.SubscribersPerRoom:N0} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Σ distinct packets the subscribers received | {_on.Streams.Sum(s => (s.Sent * s.Subscribers) - s.SubscriberShortfall):N0} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Σ RTP packets the subscribers received (audio/video payload types) | {_on.SubscriberPackets:N0} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| mediarelay_forwarded_packets_total (Δ over the run) | {Figure(_on.ForwardedPackets)} |").AppendLine();

        if (_on.Comparison.Count > 0)
        {
            text.AppendLine("Forwarding cost of recording: the same server, peers and load afterwards, in windows alternately without and with " +
                "every room recording (started through REST; stopped and finalized between windows):").AppendLine();
            text.AppendLine("| window | recording | seconds | forwarded pps | loss | p50 µs | p99 µs | server cores | pps per core | gen0 GCs | B/packet |");
            text.AppendLine("|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
            int n = 0;
            foreach (var (recording, w) in _on.Comparison)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {++n} | {(recording ? "on" : "off")} | {w.WindowSeconds:F1} | {w.ForwardedPacketsPerSecond:N0} | {w.LossRatio:P3} | {w.LatencyP50Micros:F0} | " +
                    $"{w.LatencyP99Micros:F0} | {w.ServerCpuCores:F3} | {w.PacketsPerCoreSecond:N0} | {w.Gen0Collections:F0} | {w.AllocatedBytesPerForwardedPacket:F3} |");
            }
            double on = Median(_on.Comparison.Where(c => c.Recording).Select(c => c.Window.PacketsPerCoreSecond));
            double off = Median(_on.Comparison.Where(c => !c.Recording).Select(c => c.Window.PacketsPerCoreSecond));
            double onCores = Median(_on.Comparison.Where(c => c.Recording).Select(c => c.Window.ServerCpuCores));
            double offCores = Median(_on.Comparison.Where(c => !c.Recording).Select(c => c.Window.ServerCpuCores));
            double ratio = RunSummary.Ratio(on, off);
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture,
                $"Medians: packets per core-second {on:N0} with recording, {off:N0} without: ratio on / off **{ratio:F2}**; server cores {onCores:F3} / {offCores:F3} " +
                $"(server CPU per forwarded packet {(1 / ratio) - 1:+0%;-0%} with recording).").AppendLine();
        }
        foreach (string note in _notes)
        {
            text.AppendLine("- " + note);
        }
        text.AppendLine().AppendLine("```");
        foreach (string check in _checks)
        {
            text.AppendLine(check);
        }
        text.AppendLine(Passed ? "PASS: recorded == sent for every stream, nothing dropped" : $"FAIL: {_failures.Count} check(s)");
        text.AppendLine("```");
        return text.ToString();
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Where(v => !double.IsNaN(v)).Order()];
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Figure(double value) => double.IsNaN(value) ? "not exported" : value.ToString("N0", CultureInfo.InvariantCulture);

    private static double Ratio(long part, long whole) => whole > 0 ? part / (double)whole : 0;
}
