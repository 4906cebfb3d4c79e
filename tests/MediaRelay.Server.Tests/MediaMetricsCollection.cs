namespace MediaRelay.Server.Tests;

/// <summary>
/// Tests that assert deltas of the process-global <c>MediaMetrics</c> counters. xUnit runs a collection with
/// parallelisation disabled on its own, after the parallel ones, so no other test moves a counter in between.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MediaMetricsCollection
{
    public const string Name = "MediaMetrics deltas";
}
