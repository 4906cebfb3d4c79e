using System.Globalization;
using System.Text;
using MediaRelay.LoadTest.Measurement;

namespace MediaRelay.LoadTest.Reporting;

/// <summary>
/// Reads the ramps: each target's capacity (the last step within the limits), its latency and jitter at the step
/// nearest 80 % of that capacity, and the ratios between targets: capacity, packets per core-second (packets at
/// equal CPU), and p99 latency and jitter at the highest load both carried.
/// </summary>
internal sealed class RunSummary(IReadOnlyDictionary<string, IReadOnlyList<StepResult>> ramps, LoadSettings settings)
{
    public const string MediaRelay = "MediaRelay";
    public const string Reflector = "bare reflector";
    public const string Janus = "Janus";

    public StepResult? Capacity(string target) =>
        ramps.TryGetValue(target, out var steps)
            ? steps.Where(s => s.WithinLimits(settings.MaxLoss, settings.MaxP99Micros)).MaxBy(s => s.ForwardedPacketsPerSecond)
            : null;

    /// <summary>The measured step whose forwarded rate is nearest 80 % of the target's capacity.</summary>
    public StepResult? AtEightyPercent(string target)
    {
        StepResult? capacity = Capacity(target);
        if (capacity is null)
        {
            return null;
        }
        double goal = 0.8 * capacity.ForwardedPacketsPerSecond;
        return ramps[target].Where(s => s.WithinLimits(settings.MaxLoss, settings.MaxP99Micros))
            .MinBy(s => Math.Abs(s.ForwardedPacketsPerSecond - goal));
    }

    /// <summary>The highest room count both targets measured within the limits (equal offered load).</summary>
    public (StepResult A, StepResult B)? AtEqualLoad(string a, string b)
    {
        if (!ramps.TryGetValue(a, out var stepsA) || !ramps.TryGetValue(b, out var stepsB))
        {
            return null;
        }
        var pairs = from x in stepsA
                    join y in stepsB on x.Rooms equals y.Rooms
                    where x.WithinLimits(settings.MaxLoss, settings.MaxP99Micros) && y.WithinLimits(settings.MaxLoss, settings.MaxP99Micros)
                    orderby x.Rooms descending
                    select (x, y);
        return pairs.Any() ? pairs.First() : null;
    }

    public static double Ratio(double a, double b) => b > 0 && !double.IsNaN(a) && !double.IsNaN(b) ? a / b : double.NaN;

    public string Markdown()
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine("| target | capacity (forwarded pps) | server cores used | pps per core | at ~80 %: forwarded pps | p50 µs | p99 µs | p99.9 µs | jitter µs |");
        text.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (string target in ramps.Keys)
        {
            StepResult? c = Capacity(target);
            StepResult? e = AtEightyPercent(target);
            if (c is null || e is null)
            {
                text.AppendLine(inv, $"| {target} | not reached (first step beyond the limits) | | | | | | | |");
                continue;
            }
            text.AppendLine(inv, $"| {target} | {c.ForwardedPacketsPerSecond:F0} | {c.ServerCpuCores:F2} | {c.PacketsPerCoreSecond:F0} | {e.ForwardedPacketsPerSecond:F0} | {e.LatencyP50Micros:F0} | {e.LatencyP99Micros:F0} | {e.LatencyP999Micros:F0} | {e.JitterMicros:F0} |");
        }
        text.AppendLine();
        text.AppendLine("| ratio | value | how it is read |");
        text.AppendLine("|---|--:|---|");
        foreach (string other in new[] { Reflector, Janus })
        {
            StepResult? m = Capacity(MediaRelay), o = Capacity(other);
            if (m is null || o is null)
            {
                continue;
            }
            text.AppendLine(inv, $"| MediaRelay / {other}: capacity | {Ratio(m.ForwardedPacketsPerSecond, o.ForwardedPacketsPerSecond):F2} | forwarded pps at the last step within the limits |");
            var equal = AtEqualLoad(MediaRelay, other);
            if (equal is { } pair)
            {
                text.AppendLine(inv, $"| MediaRelay / {other}: pps per core | {Ratio(pair.A.PacketsPerCoreSecond, pair.B.PacketsPerCoreSecond):F2} | packets at equal CPU, both at {pair.A.Rooms} rooms |");
                text.AppendLine(inv, $"| MediaRelay / {other}: p99 latency | {Ratio(pair.A.LatencyP99Micros, pair.B.LatencyP99Micros):F2} | lower is better, both at {pair.A.Rooms} rooms |");
                text.AppendLine(inv, $"| MediaRelay / {other}: jitter | {Ratio(pair.A.JitterMicros, pair.B.JitterMicros):F2} | lower is better, both at {pair.A.Rooms} rooms |");
                if (other == Reflector)
                {
                    text.AppendLine(inv, $"| MediaRelay − {other}: latency p50 / p99 | {pair.A.LatencyP50Micros - pair.B.LatencyP50Micros:+0;-0} µs / {pair.A.LatencyP99Micros - pair.B.LatencyP99Micros:+0;-0} µs | what the SFU adds to the machine's own send/receive path, both at {pair.A.Rooms} rooms |");
                }
            }
        }
        return text.ToString();
    }
}
