using BenchmarkDotNet.Running;

// Runs the hot-path benchmarks: `dotnet run -c Release --project bench/MediaRelay.Benchmarks -- --filter '*'`.
BenchmarkSwitcher.FromAssembly(typeof(MediaRelay.Benchmarks.BenchmarkAssembly).Assembly).Run(args);

namespace MediaRelay.Benchmarks
{
    /// <summary>Anchor type for the benchmark assembly.</summary>
    public static class BenchmarkAssembly;
}
