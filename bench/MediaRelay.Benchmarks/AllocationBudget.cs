using System.Text.Json;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace MediaRelay.Benchmarks;

/// <summary>
/// Checks every benchmark's allocated bytes per operation against <c>bench/allocation-budget.json</c> (0 on the
/// packet path). It runs each benchmark briefly in process with BenchmarkDotNet's memory diagnoser — allocation is a
/// count, not a time, so a short run on a noisy machine measures it exactly. A benchmark missing from the file, or
/// over its budget, fails the check. Times are printed for information and never judged.
/// </summary>
public static class AllocationBudget
{
    public static int Run(string budgetPath, string[] benchmarkArgs)
    {
        Dictionary<string, long> budget = Load(budgetPath);
        IConfig config = ManualConfig.CreateEmpty()
            .AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1)
                .WithWarmupCount(1)
                .WithIterationCount(3)
                .WithInvocationCount(65536)
                .WithUnrollFactor(16)
                .WithId("Budget"))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddLogger(NullLogger.Instance)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .WithOptions(ConfigOptions.DisableLogFile | ConfigOptions.JoinSummary);

        IEnumerable<Summary> summaries = BenchmarkSwitcher.FromAssembly(typeof(AllocationBudget).Assembly)
            .Run([.. benchmarkArgs.DefaultIfEmpty("--filter").Append(benchmarkArgs.Length == 0 ? "*" : "")
                .Where(a => a.Length > 0)], config);

        int failures = 0, checkedCases = 0;
        foreach (BenchmarkReport report in summaries.SelectMany(s => s.Reports))
        {
            string key = $"{report.BenchmarkCase.Descriptor.Type.Name}.{report.BenchmarkCase.Descriptor.WorkloadMethod.Name}";
            string name = report.BenchmarkCase.HasParameters
                ? $"{key} [{report.BenchmarkCase.Parameters.DisplayInfo}]" : key;
            long? bytes = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
            if (!report.Success || bytes is null)
            {
                Console.WriteLine($"FAIL  {name}: the benchmark did not run");
                failures++;
                continue;
            }
            checkedCases++;
            if (!budget.TryGetValue(key, out long allowed))
            {
                Console.WriteLine($"FAIL  {name}: {bytes} B/op, but {key} has no budget in {budgetPath}");
                failures++;
                continue;
            }
            double ns = report.ResultStatistics?.Mean ?? double.NaN;
            string verdict = bytes <= allowed ? "ok  " : "FAIL";
            Console.WriteLine($"{verdict}  {name}: {bytes} B/op (budget {allowed}), {ns:F1} ns/op (not judged)");
            if (bytes > allowed)
            {
                failures++;
            }
        }
        Console.WriteLine($"allocation budget: {checkedCases} benchmark cases checked, {failures} failed");
        return failures == 0 && checkedCases > 0 ? 0 : 1;
    }

    private static Dictionary<string, long> Load(string path)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        var budget = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (JsonProperty p in doc.RootElement.GetProperty("bytesPerOperation").EnumerateObject())
        {
            budget[p.Name] = p.Value.GetInt64();
        }
        return budget;
    }
}
