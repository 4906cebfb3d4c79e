using System.Globalization;
using System.Text;
using MediaRelay.LoadTest.Measurement;

namespace MediaRelay.LoadTest.Reporting;

/// <summary>Console lines and Markdown tables of measured windows.</summary>
internal static class ResultTable
{
    public const string Header =
        "| target | rooms | peers | sent pps | forwarded pps | loss | mean µs | p50 µs | p99 µs | p99.9 µs | jitter µs | server mean / p50 / p99 µs | server cores | pps per core | generator cores | gen0 GCs | B/packet |";

    public const string Rule = "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|";

    public static string Line(StepResult r) => (
        $"[{r.Target}] rooms {r.Rooms,3} peers {r.Publishers + r.Subscribers,4}: sent {r.SentPacketsPerSecond,8:F0} pps, forwarded {r.ForwardedPacketsPerSecond,8:F0} pps, " +
        $"loss {r.LossRatio,7:P3}, latency mean {r.LatencyMeanMicros,6:F0} p50 {r.LatencyP50Micros,6:F0} p99 {r.LatencyP99Micros,6:F0} p99.9 {r.LatencyP999Micros,6:F0} µs ({r.LatencySamples} samples" +
        (double.IsNaN(r.ReceiveDelayMicros) ? "" : $", {r.KernelTimedShare:P0} kernel-timed, receive delay {r.ReceiveDelayMicros:F0} µs") + "), " +
        (double.IsNaN(r.ServerLatencyMeanMicros) ? "" :
            $"server forward latency mean {r.ServerLatencyMeanMicros:F0} p50 {r.ServerLatencyP50Micros:F0} p99 {r.ServerLatencyP99Micros:F0} µs " +
            $"(server/tool {r.ServerMeanRatio:F2} / {r.ServerP50Ratio:F2} / {r.ServerP99Ratio:F2}; tool in server buckets p50 {r.LatencyP50InServerBucketsMicros:F0} p99 {r.LatencyP99InServerBucketsMicros:F0}), ") +
        $"jitter {r.JitterMicros,5:F0} µs, server {r.ServerCpuCores,5:F2} cores = {r.PacketsPerCoreSecond,8:F0} pps/core, generator {r.GeneratorCpuCores,4:F2} cores" +
        (double.IsNaN(r.Gen0Collections) ? "" : $", gen0 GCs {r.Gen0Collections:F0}, {r.AllocatedBytesPerForwardedPacket:F3} B/packet, loop stall ≤ {r.MaxLoopStallMicros / 1000:F1} ms") +
        (r.LateSends > 0 ? $", {r.LateSends} late sends" : "") +
        (r.GeneratorCollections > 0 ? $", generator GCs {r.GeneratorCollections}" : ""));

    public static string Row(StepResult r) => (
        $"| {r.Target} | {r.Rooms} | {r.Publishers + r.Subscribers} | {r.SentPacketsPerSecond:F0} | {r.ForwardedPacketsPerSecond:F0} | {r.LossRatio:P2} | " +
        $"{r.LatencyMeanMicros:F0} | {r.LatencyP50Micros:F0} | {r.LatencyP99Micros:F0} | {r.LatencyP999Micros:F0} | {r.JitterMicros:F0} | " +
        $"{(double.IsNaN(r.ServerLatencyMeanMicros) ? "–" : $"{r.ServerLatencyMeanMicros:F0} / {r.ServerLatencyP50Micros:F0} / {r.ServerLatencyP99Micros:F0}")} | {r.ServerCpuCores:F2} | " +
        $"{r.PacketsPerCoreSecond:F0} | {r.GeneratorCpuCores:F2} | {(double.IsNaN(r.Gen0Collections) ? "–" : r.Gen0Collections.ToString("F0", CultureInfo.InvariantCulture))} | " +
        $"{(double.IsNaN(r.AllocatedBytesPerForwardedPacket) ? "–" : r.AllocatedBytesPerForwardedPacket.ToString("F3", CultureInfo.InvariantCulture))} |");

    public static string Markdown(IEnumerable<StepResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine(Header).AppendLine(Rule);
        foreach (StepResult r in results)
        {
            text.AppendLine(Row(r));
        }
        return text.ToString();
    }
}
