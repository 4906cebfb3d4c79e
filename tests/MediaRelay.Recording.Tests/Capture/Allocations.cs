namespace MediaRelay.Recording.Tests.Capture;

/// <summary>
/// Bytes this thread allocates over <c>count</c> calls, measured again when a garbage collection (caused by other
/// test classes running in parallel) fell inside the window: GetAllocatedBytesForCurrentThread can be off by a few
/// bytes across a collection (dotnet/runtime#10207), which is noise, not an allocation of ours.
/// </summary>
internal static class Allocations
{
    public static long Measure(Action call, int count = 10_000)
    {
        for (int i = 0; i < 1000; i++)
        {
            call();
        }
        long allocated = 0;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            int collections = GC.CollectionCount(0);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < count; i++)
            {
                call();
            }
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated == 0 || GC.CollectionCount(0) == collections)
            {
                return allocated;
            }
        }
        return allocated;
    }
}
