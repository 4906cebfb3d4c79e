using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using MediaRelay.Dtls;
using MediaRelay.LoadTest.Measurement;
using MediaRelay.LoadTest.Peers;
using MediaRelay.LoadTest.Reporting;
using MediaRelay.LoadTest.Targets;

namespace MediaRelay.LoadTest.Recording;

/// <summary>
/// The "record" command: under the load tool's room shape, the packets MediaRelay's recorder writes equal the packets
/// the publishers sent, and (when loopback loses nothing) the packets each subscriber received.
/// <list type="number">
/// <item>MediaRelay starts with MediaRelay:Recording:AutoRecord on; every peer sends "consent" right after joining
/// and waits for "consentRecorded" before it offers, so each room records from its first participant on and every
/// producer gets its tap when it is created. Publishers are held (no media) until every peer of the run has finished
/// DTLS, so the recorder and every subscriber can see each publisher's first packet.</item>
/// <item>The load runs for --seconds; then the publishers stop, in-flight packets drain (--drain), each room's
/// recording is stopped through REST and finalized.</item>
/// <item>Per room and publisher stream: sent, recorded (REST tracks[].packets, dropped), distinct packets at each
/// subscriber; plus the journal metrics. See <see cref="RecordingReport"/> for the checks.</item>
/// <item>Then, on the same server and peers, the load resumes for --compare-windows windows of --compare-seconds,
/// alternately without and with recording (started through REST): the forwarding cost of recording as a ratio
/// (<see cref="RecordingCostComparison"/>; --compare-windows 0 skips it).</item>
/// </list>
/// </summary>
internal static class RecordingProof
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan FinalizeTimeout = TimeSpan.FromSeconds(300);

    public static async Task<int> RunAsync(CommandLine o, CancellationToken cancel)
    {
        LoadSettings settings = LoadCommands.Settings(o);
        int rooms = o.Int("rooms", 6);
        double seconds = o.Double("seconds", 20);
        int compareWindows = o.Int("compare-windows", 6);
        double compareSeconds = o.Double("compare-seconds", 5);
        TimeSpan drain = TimeSpan.FromSeconds(o.Double("drain", 1));
        if (rooms < 1 || seconds < Settle.TotalSeconds + 2)
        {
            throw new ArgumentException($"--rooms must be at least 1 and --seconds at least {Settle.TotalSeconds + 2}.");
        }
        string root = LoadCommands.RepositoryRoot();
        string stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        string work = Path.Combine(settings.WorkDirectory, "record-" + stamp);
        string output = o.String("out", Path.Combine(root, "bench", "results", stamp + "-record"));
        Console.WriteLine(LoadCommands.Describe(settings));
        Console.WriteLine($"record: {rooms} rooms × {seconds:F0} s with AutoRecord on, every peer consenting on join" +
            (compareWindows > 0 ? $"; then {compareWindows} windows of {compareSeconds:F0} s alternately without and with recording" : ""));

        RecordRunResult result = await RunLoadAsync(settings, rooms, seconds, drain, compareWindows, TimeSpan.FromSeconds(compareSeconds),
            root, work, cancel);

        var report = new RecordingReport(settings, rooms, seconds, result);
        string markdown = report.Markdown();
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "record.md"), markdown);
        Console.WriteLine();
        Console.WriteLine(markdown);
        Console.WriteLine($"Report in {Path.Combine(output, "record.md")}");
        if (!o.Has("keep"))
        {
            TryDelete(work);
        }
        else
        {
            Console.WriteLine($"Server data (journals, files, catalog) kept in {work}");
        }
        Console.WriteLine(report.Passed ? "record: PASS" : $"record: FAIL ({string.Join("; ", report.Failures)})");
        return report.Passed ? 0 : 1;
    }

    private static async Task<RecordRunResult> RunLoadAsync(LoadSettings settings, int roomCount, double seconds, TimeSpan drain,
        int compareWindows, TimeSpan compareWindow, string root, string work, CancellationToken cancel)
    {
        const string name = "record";
        Directory.CreateDirectory(work);
        var environment = new Dictionary<string, string>(settings.ServerEnvironment)
        {
            ["MediaRelay__Recording__AutoRecord"] = "true",
        };
        await using var target = new MediaRelayTarget(root, settings.ServerCpus, work, environment) { ConsentOnJoin = true };
        Console.WriteLine($"[{name}] starting MediaRelay (AutoRecord on)");
        await target.StartAsync(cancel);
        using var generator = new LoadGenerator(settings.VideoBitrate, settings.SampleEvery);
        using var api = new RecordingApi(target.BaseAddress);
        var context = new LoadContext(DtlsCertificate.Generate(), settings.SrtpProfile, generator);
        var rooms = new List<LoadRoom>();
        for (int r = 0; r < roomCount; r++)
        {
            LoadRoom room = LoadRamp.CreateRoom(r, settings, generator, System.Net.IPAddress.Loopback);
            foreach (LoadPeer publisher in room.Publishers)
            {
                publisher.MediaHeld = true; // no DTLS yet, so nothing has been sent
            }
            rooms.Add(room);
        }
        Dictionary<string, double> before = await api.MetricsAsync(cancel);

        foreach (LoadRoom[] batch in rooms.Chunk(4))
        {
            await Task.WhenAll(batch.Select(r => target.AddRoomAsync(r, context, cancel)));
        }
        // Every room records before any media flows: its taps were attached as its producers were created.
        var recordings = new Dictionary<int, string>();
        foreach (LoadRoom room in rooms)
        {
            recordings[room.Number] = await api.RunningIdAsync(RoomId(room), cancel);
        }
        await WaitForAsync(generator, name, p => p.MediaReady, "DTLS-SRTP ready", cancel);
        await Task.Delay(500, cancel); // the server completes its side of the last handshakes
        SetHeld(rooms, false);
        long released = Stopwatch.GetTimestamp();
        try
        {
            await WaitForAsync(generator, name, p => p.Kind == PeerKind.Publisher || p.Streams.Count >= p.ExpectedStreams,
                "receiving every stream", cancel);
        }
        catch (TimeoutException)
        {
            string metrics = Path.Combine(work, "metrics-at-timeout.txt");
            File.WriteAllText(metrics, await api.MetricsTextAsync(cancel));
            Console.WriteLine($"[{name}] the server's /metrics at the timeout: {metrics}");
            throw;
        }
        Console.WriteLine($"[{name}] {roomCount} rooms flowing, {recordings.Count} recordings running");

        await Task.Delay(Settle, cancel);
        LoadWindow window = await LoadWindow.BeginAsync(generator, target, cancel);
        TimeSpan remaining = TimeSpan.FromSeconds(seconds) - Stopwatch.GetElapsedTime(released);
        await Task.Delay(remaining > TimeSpan.FromSeconds(1) ? remaining : TimeSpan.FromSeconds(1), cancel);
        StepResult measured = (await window.EndAsync(roomCount, cancel)) with { Target = "MediaRelay, recording" };
        Console.WriteLine(ResultTable.Line(measured));
        SetHeld(rooms, true);
        await Task.Delay(drain, cancel); // packets in flight reach the server and the subscribers

        foreach (LoadRoom room in rooms)
        {
            await api.StopAsync(recordings[room.Number], cancel);
        }
        var states = new List<string>();
        var tracks = new Dictionary<int, JsonArray>();
        int files = 0;
        double longest = 0;
        foreach (LoadRoom room in rooms)
        {
            JsonObject finished = await api.WaitFinishedAsync(recordings[room.Number], FinalizeTimeout, cancel);
            string state = (string?)finished["state"] ?? "?";
            states.Add(state == "complete" ? state : $"{state} ({(string?)finished["error"]})");
            tracks[room.Number] = finished["tracks"] as JsonArray ?? [];
            files += (finished["files"] as JsonArray)?.Count ?? 0;
            longest = Math.Max(longest, (double?)finished["durationSeconds"] ?? 0);
        }
        Console.WriteLine($"[{name}] {states.Count(s => s == "complete")}/{states.Count} recordings complete, {files} files");
        Dictionary<string, double> after = await api.MetricsAsync(cancel);

        // The ledger, before the publishers send again.
        var streams = new List<RecordedStream>();
        int unattributed = 0;
        long subscriberPackets = 0;
        foreach (LoadRoom room in rooms)
        {
            foreach (LoadPeer subscriber in room.Subscribers)
            {
                subscriberPackets += Interlocked.Read(ref subscriber.RtpPackets);
                unattributed += subscriber.Streams.Values.ToArray().Count(s => s.Publisher < 0);
            }
            foreach (LoadPeer publisher in room.Publishers)
            {
                streams.Add(Ledger(room, publisher, video: false, tracks.GetValueOrDefault(room.Number)));
                streams.Add(Ledger(room, publisher, video: true, tracks.GetValueOrDefault(room.Number)));
            }
        }

        IReadOnlyList<(bool Recording, StepResult Window)> comparison = compareWindows > 0
            ? await RecordingCostComparison.RunAsync(generator, target, api, rooms, compareWindows, compareWindow, cancel)
            : [];
        return new RecordRunResult(measured, streams, states,
            Delta(before, after, "mediarelay_recording_packets_total"),
            Delta(before, after, "mediarelay_recording_dropped_packets_total"),
            Delta(before, after, "mediarelay_recording_bytes_written_total"),
            after.GetValueOrDefault("mediarelay_recordings_active", double.NaN),
            after.GetValueOrDefault("mediarelay_recording_queue_depth", double.NaN),
            Delta(before, after, "mediarelay_forwarded_packets_total"),
            subscriberPackets, unattributed, files, longest, comparison);
    }

    /// <summary>One publisher stream: its sent counter, its recorded track(s), and each subscriber's distinct packets.</summary>
    private static RecordedStream Ledger(LoadRoom room, LoadPeer publisher, bool video, JsonArray? tracks)
    {
        string kind = video ? "video" : "audio";
        long sent = video ? Interlocked.Read(ref publisher.VideoPacketsSent) : Interlocked.Read(ref publisher.AudioPacketsSent);
        long recorded = 0, dropped = 0;
        foreach (JsonObject track in (tracks ?? []).OfType<JsonObject>())
        {
            if ((string?)track["participantName"] == "publisher " + publisher.Index.ToString(CultureInfo.InvariantCulture)
                && (string?)track["kind"] == kind)
            {
                recorded += (long?)track["packets"] ?? 0;
                dropped += (long?)track["dropped"] ?? 0;
            }
        }
        long min = long.MaxValue, max = 0, duplicates = 0, shortfall = 0;
        int complete = 0;
        foreach (LoadPeer subscriber in room.Subscribers)
        {
            StreamStats? stream = subscriber.Streams.Values.ToArray().FirstOrDefault(s => s.Publisher == publisher.Index && s.IsVideo == video);
            long unique = stream?.Unique ?? 0;
            min = Math.Min(min, unique);
            max = Math.Max(max, unique);
            duplicates += stream?.Duplicates ?? 0;
            shortfall += Math.Max(0, sent - unique);
            complete += unique == sent ? 1 : 0;
        }
        return new RecordedStream(room.Number, publisher.Index, kind, sent, recorded, dropped, room.Subscribers.Count,
            room.Subscribers.Count == 0 ? 0 : min, max, complete, duplicates)
        { SubscriberShortfall = shortfall };
    }

    internal static void SetHeld(List<LoadRoom> rooms, bool held)
    {
        foreach (LoadRoom room in rooms)
        {
            foreach (LoadPeer publisher in room.Publishers)
            {
                publisher.MediaHeld = held;
            }
        }
    }

    private static async Task WaitForAsync(LoadGenerator generator, string name, Func<LoadPeer, bool> ready, string what, CancellationToken cancel)
    {
        DateTime deadline = DateTime.UtcNow + ConnectTimeout;
        while (true)
        {
            int waiting = 0;
            LoadPeer? example = null;
            foreach (LoadPeer peer in generator.Peers)
            {
                if (peer.Failure is not null)
                {
                    throw new InvalidOperationException($"[{name}] peer {peer.Index} ({peer.Kind}, room {peer.Room}) failed: {peer.Failure}");
                }
                if (!ready(peer))
                {
                    waiting++;
                    example ??= peer;
                }
            }
            if (waiting == 0)
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"[{name}] {waiting} peers not {what} after {ConnectTimeout.TotalSeconds:F0} s, e.g. peer {example!.Index} " +
                    $"({example.Kind}, room {example.Room}): ICE {(example.Ice.Connected ? "connected" : "checking")}, " +
                    $"SRTP {(example.MediaReady ? "ready" : "not ready")}, {example.Streams.Count}/{example.ExpectedStreams} streams: " +
                    string.Join("; ", example.Streams.ToArray().Select(s => $"{s.Key:x8} from publisher {s.Value.Publisher}: {s.Value}")) +
                    "; its room's publishers: " + string.Join("; ", generator.Peers.Where(p => p.Room == example.Room && p.Kind == PeerKind.Publisher)
                        .Select(p => $"{p.Index} sent audio {p.AudioPacketsSent} video {p.VideoPacketsSent}, key frame requests {p.KeyFrameRequests}")));
            }
            await Task.Delay(50, cancel);
        }
    }

    private static double Delta(Dictionary<string, double> before, Dictionary<string, double> after, string name) =>
        after.TryGetValue(name, out double end) ? end - before.GetValueOrDefault(name) : double.NaN;

    internal static string RoomId(LoadRoom room) => "load-" + room.Number.ToString(CultureInfo.InvariantCulture);

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // a file still open by a dying server: left for the next run's temp cleanup
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
