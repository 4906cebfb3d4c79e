using MediaRelay.Testing;

namespace MediaRelay.Recording.Tests.Capture;

/// <summary>
/// Bytes this thread allocates over <c>count</c> calls after a warm-up of 1,000, measured with
/// <see cref="AllocationMeter"/>: the fewest over up to five windows of <c>count</c> calls, so a collection caused by
/// other test classes running in parallel, or a one-off runtime allocation, inside one window is not read as ours
/// (dotnet/coreclr#10207). A per-call allocation shows in every window.
/// </summary>
internal static class Allocations
{
    public static long Measure(Action call, int count = 10_000)
    {
        for (int i = 0; i < 1000; i++)
        {
            call();
        }
        return AllocationMeter.Measure(() =>
        {
            for (int i = 0; i < count; i++)
            {
                call();
            }
        });
    }
}
