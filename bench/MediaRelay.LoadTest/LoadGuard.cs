using System.Globalization;
using MediaRelay.LoadTest.Measurement;
using MediaRelay.LoadTest.Reporting;
using MediaRelay.LoadTest.Targets;

namespace MediaRelay.LoadTest;

/// <summary>
/// The CI guard: one fixed load (default 6 rooms of 2 × 8, about 22k forwarded packets per second) against the bare
/// reflector and MediaRelay, and Janus when it can run here, in one run on one machine. It asserts what holds on any
/// machine and never an absolute time:
/// <list type="bullet">
/// <item>MediaRelay carries the load: every stream flows, loss ≤ 1 %;</item>
/// <item>zero-allocation steady state: no gen0 collection in the measured window, and under 2 bytes allocated per
/// forwarded packet (a single allocation per packet would be ≥ 24 B; the rest is the scrape and timers);</item>
/// <item>MediaRelay's packets per core-second are at least a fraction of the reflector's (the machine's limit);</item>
/// <item>with Janus: MediaRelay forwards at least twice as many packets per core-second.</item>
/// </list>
/// </summary>
internal static class LoadGuard
{
    public static async Task<int> RunAsync(CommandLine o, CancellationToken cancel)
    {
        LoadSettings settings = LoadCommands.Settings(o) with { Window = TimeSpan.FromSeconds(o.Double("window", 10)) };
        int rooms = o.Int("rooms", 6);
        double minReflectorFraction = o.Double("min-reflector-fraction", 0.15);
        double minJanusRatio = o.Double("min-janus-ratio", 2.0);
        string root = LoadCommands.RepositoryRoot();
        Directory.CreateDirectory(settings.WorkDirectory);
        Console.WriteLine(LoadCommands.Describe(settings));
        Console.WriteLine($"guard: {rooms} rooms, {rooms * settings.RoomForwardedPacketsPerSecond:F0} forwarded pps offered");

        var results = new Dictionary<string, StepResult>();
        foreach (string name in o.String("targets", "reflector,mediarelay,janus").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            ILoadTarget? target = LoadCommands.Create(name, root, settings, out string? skipped);
            if (target is null)
            {
                Console.WriteLine($"[{name}] skipped: {skipped}");
                continue;
            }
            await using (target)
            {
                IReadOnlyList<StepResult> steps = await LoadRamp.RunAsync(target, settings with { MaxLoss = 1, MaxP99Micros = double.MaxValue },
                    [rooms], Console.Out, cancel);
                results[target.Name] = steps[^1];
            }
        }

        var failures = new List<string>();
        StepResult mediaRelay = results[RunSummary.MediaRelay];
        Check(failures, mediaRelay.LossRatio <= settings.MaxLoss, $"MediaRelay loss {mediaRelay.LossRatio:P2} ≤ {settings.MaxLoss:P0}");
        Check(failures, mediaRelay.Gen0Collections == 0, $"MediaRelay gen0 collections in the window: {mediaRelay.Gen0Collections} (must be 0)");
        Check(failures, mediaRelay.AllocatedBytesPerForwardedPacket < 2,
            $"MediaRelay allocated {mediaRelay.AllocatedBytesPerForwardedPacket:F3} B per forwarded packet (must be < 2)");
        if (results.TryGetValue(RunSummary.Reflector, out StepResult? reflector))
        {
            double fraction = RunSummary.Ratio(mediaRelay.PacketsPerCoreSecond, reflector.PacketsPerCoreSecond);
            Check(failures, fraction >= minReflectorFraction,
                $"MediaRelay / reflector packets per core-second {fraction:F2} ≥ {minReflectorFraction:F2}");
            Console.WriteLine($"ratio: MediaRelay / reflector p99 latency {RunSummary.Ratio(mediaRelay.LatencyP99Micros, reflector.LatencyP99Micros):F2}, jitter {RunSummary.Ratio(mediaRelay.JitterMicros, reflector.JitterMicros):F2} (reported, not judged)");
        }
        if (results.TryGetValue(RunSummary.Janus, out StepResult? janus))
        {
            double ratio = RunSummary.Ratio(mediaRelay.PacketsPerCoreSecond, janus.PacketsPerCoreSecond);
            Check(failures, ratio >= minJanusRatio, $"MediaRelay / Janus packets per core-second {ratio:F2} ≥ {minJanusRatio:F1}");
            Console.WriteLine($"ratio: MediaRelay / Janus p99 latency {RunSummary.Ratio(mediaRelay.LatencyP99Micros, janus.LatencyP99Micros):F2}, jitter {RunSummary.Ratio(mediaRelay.JitterMicros, janus.JitterMicros):F2} (reported, not judged)");
        }
        Console.WriteLine(failures.Count == 0 ? "load guard: passed" : $"load guard: {failures.Count} check(s) failed");
        return failures.Count == 0 ? 0 : 1;
    }

    private static void Check(List<string> failures, bool ok, string what)
    {
        Console.WriteLine((ok ? "ok    " : "FAIL  ") + what);
        if (!ok)
        {
            failures.Add(what);
        }
    }
}
