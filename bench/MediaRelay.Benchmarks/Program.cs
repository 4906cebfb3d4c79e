using BenchmarkDotNet.Running;

// Runs the hot-path benchmarks: `dotnet run -c Release --project bench/MediaRelay.Benchmarks -- --filter '*'`.
// Checks allocations against the budget: `... -- --check-allocations bench/allocation-budget.json [--filter ...]`.
int check = Array.IndexOf(args, "--check-allocations");
if (check >= 0 && check + 1 < args.Length)
{
    string[] rest = [.. args.Take(check), .. args.Skip(check + 2)];
    return MediaRelay.Benchmarks.AllocationBudget.Run(args[check + 1], rest);
}
BenchmarkSwitcher.FromAssembly(typeof(MediaRelay.Benchmarks.BenchmarkAssembly).Assembly).Run(args);
return 0;

namespace MediaRelay.Benchmarks
{
    /// <summary>Anchor type for the benchmark assembly.</summary>
    public static class BenchmarkAssembly;
}
