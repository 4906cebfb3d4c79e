using System.Globalization;
using System.Text;
using System.Text.Json;
using MediaRelay.LoadTest.Measurement;
using MediaRelay.LoadTest.Reporting;
using MediaRelay.LoadTest.Targets;

namespace MediaRelay.LoadTest;

/// <summary>The "run" and "guard" commands.</summary>
internal static class LoadCommands
{
    public static LoadSettings Settings(CommandLine o) => new()
    {
        PublishersPerRoom = o.Int("publishers", 2),
        SubscribersPerRoom = o.Int("subscribers", 8),
        VideoBitrate = o.Int("video-kbps", 1500) * 1000,
        FirstRooms = o.Int("first-rooms", 4),
        StepRooms = o.Int("step-rooms", 4),
        MaxRooms = o.Int("max-rooms", 120),
        Window = TimeSpan.FromSeconds(o.Double("window", 5)),
        SampleEvery = o.Int("sample", 4),
        ServerCpus = o.String("server-cpus", "0"),
        Verbose = o.Has("verbose"),
        ServerEnvironment = o.String("server-env", "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : ""),
        JanusEventLoops = o.Int("janus-event-loops", 0),
    };

    public static async Task<int> RunAsync(CommandLine o, CancellationToken cancel)
    {
        LoadSettings settings = Settings(o);
        string root = RepositoryRoot();
        string output = o.String("out", Path.Combine(root, "bench", "results", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)));
        Directory.CreateDirectory(output);
        Directory.CreateDirectory(settings.WorkDirectory);
        string[] targets = o.String("targets", "reflector,mediarelay,janus").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var steps = new List<int>();
        if (settings.StepRooms < 1 || settings.FirstRooms < 1)
        {
            throw new ArgumentException("--first-rooms and --step-rooms must be at least 1.");
        }
        for (int r = settings.FirstRooms; r <= settings.MaxRooms; r += settings.StepRooms)
        {
            for (int i = 0; i < o.Int("repeat", 1); i++)
            {
                steps.Add(r); // a step already reached measures another window at the same load
            }
        }
        Console.WriteLine(Describe(settings));
        var ramps = new Dictionary<string, IReadOnlyList<StepResult>>();
        foreach (string name in targets)
        {
            ILoadTarget? target = Create(name, root, settings, out string? skipped);
            if (target is null)
            {
                Console.WriteLine($"[{name}] skipped: {skipped}");
                continue;
            }
            await using (target)
            {
                ramps[target.Name] = await LoadRamp.RunAsync(target, settings, steps, Console.Out, cancel);
            }
        }
        var summary = new RunSummary(ramps, settings);
        var report = new StringBuilder();
        report.AppendLine(Describe(settings)).AppendLine();
        report.AppendLine(summary.Markdown());
        report.AppendLine("Every measured step:").AppendLine();
        report.AppendLine(ResultTable.Markdown(ramps.Values.SelectMany(s => s)));
        File.WriteAllText(Path.Combine(output, "summary.md"), report.ToString());
        File.WriteAllText(Path.Combine(output, "steps.json"), JsonSerializer.Serialize(ramps, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        IReadOnlyList<string> plots = RampPlots.Write(output, ramps);
        Console.WriteLine();
        Console.WriteLine(summary.Markdown());
        Console.WriteLine($"Report, steps and plots ({plots.Count} PNG) in {output}");
        return 0;
    }

    public static Task<int> GuardAsync(CommandLine o, CancellationToken cancel) => LoadGuard.RunAsync(o, cancel);

    public static ILoadTarget? Create(string name, string root, LoadSettings settings, out string? skipped)
    {
        skipped = null;
        switch (name.Trim().ToLowerInvariant())
        {
            case "reflector":
                return new ReflectorTarget(settings.ServerCpus, settings.WorkDirectory);
            case "mediarelay":
                return new MediaRelayTarget(root, settings.ServerCpus, settings.WorkDirectory, settings.ServerEnvironment);
            case "janus":
                return JanusTarget.TryCreate(settings, out skipped);
            default:
                throw new ArgumentException($"Unknown target '{name}' (reflector, mediarelay, janus).");
        }
    }

    public static string Describe(LoadSettings s) => (
        $"Load: rooms of {s.PublishersPerRoom} publishers (audio 50 pps + video {s.VideoBitrate / 1000} kbit/s at 30 fps = {s.PublisherPacketsPerSecond:F0} pps each) " +
        $"× {s.SubscribersPerRoom} subscribers = {s.RoomForwardedPacketsPerSecond:F0} forwarded pps per room; SRTP profile 0x{s.SrtpProfile:X4} both ways; " +
        $"server on CPU {s.ServerCpus}, generator on the others ({Environment.ProcessorCount} cores, {Environment.MachineName}); " +
        $"latency timed on 1 packet in {s.SampleEvery}; limits: loss ≤ {s.MaxLoss:P0}, p99 ≤ {s.MaxP99Micros / 1000:F0} ms; {s.Window.TotalSeconds:F0} s windows.");

    public static string RepositoryRoot()
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null && !File.Exists(Path.Combine(directory, "MediaRelay.sln")))
        {
            directory = Path.GetDirectoryName(directory);
        }
        return directory ?? throw new InvalidOperationException("Run the load tool from the repository's build output.");
    }
}
