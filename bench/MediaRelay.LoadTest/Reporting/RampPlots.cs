using MediaRelay.LoadTest.Measurement;
using ScottPlot;

namespace MediaRelay.LoadTest.Reporting;

/// <summary>PNG plots of the ramps, one line per target, forwarded packets per second on the x axis.</summary>
internal static class RampPlots
{
    public static IReadOnlyList<string> Write(string directory, IReadOnlyDictionary<string, IReadOnlyList<StepResult>> ramps)
    {
        var files = new List<string>
        {
            Plot(directory, "latency-p99.png", "Added latency p99 (µs)", ramps, r => r.LatencyP99Micros),
            Plot(directory, "latency-p50.png", "Added latency p50 (µs)", ramps, r => r.LatencyP50Micros),
            Plot(directory, "jitter.png", "Added jitter, RFC 3550 (µs)", ramps, r => r.JitterMicros),
            Plot(directory, "server-cpu.png", "Server CPU (cores)", ramps, r => r.ServerCpuCores),
            Plot(directory, "loss.png", "Loss (%)", ramps, r => r.LossRatio * 100),
        };
        return files;
    }

    private static string Plot(string directory, string file, string title, IReadOnlyDictionary<string, IReadOnlyList<StepResult>> ramps,
        Func<StepResult, double> value)
    {
        var plot = new Plot();
        foreach (var (target, steps) in ramps)
        {
            if (steps.Count == 0)
            {
                continue;
            }
            double[] xs = [.. steps.Select(s => s.ForwardedPacketsPerSecond / 1000)];
            double[] ys = [.. steps.Select(value)];
            var scatter = plot.Add.Scatter(xs, ys);
            scatter.LegendText = target;
            scatter.LineWidth = 2;
            scatter.MarkerSize = 6;
        }
        plot.Title(title + " vs load");
        plot.XLabel("forwarded packets per second (thousands)");
        plot.YLabel(title);
        plot.ShowLegend(Alignment.UpperLeft);
        string path = Path.Combine(directory, file);
        plot.SavePng(path, 900, 520);
        return path;
    }
}
