using MediaRelay.Core;
using MediaRelay.Recording.Capture;

namespace MediaRelay.Recording.Tests.Capture;

public sealed class TapQueueTests
{
    [Fact]
    public void Items_come_out_in_order_and_a_full_queue_refuses_and_counts()
    {
        var queue = new TapQueue(4);
        for (int i = 0; i < 4; i++)
        {
            Assert.True(queue.TryEnqueue(TapItem.ForSenderReport(i, (ulong)i, (uint)i, i)));
        }
        Assert.False(queue.TryEnqueue(TapItem.ForSenderReport(9, 9, 9, 9)));
        Assert.Equal(1, queue.Dropped);
        Assert.Equal(4, queue.Count);
        for (int i = 0; i < 4; i++)
        {
            Assert.True(queue.TryDequeue(out TapItem item));
            Assert.Equal(i, item.Track);
        }
        Assert.False(queue.TryDequeue(out _));
        Assert.True(queue.TryEnqueue(TapItem.ForSenderReport(5, 5, 5, 5))); // the freed cells are reused
    }

    [Fact]
    public void Capacity_must_be_a_power_of_two()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TapQueue(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TapQueue(1));
    }

    [Fact]
    public void Two_producers_and_one_consumer_lose_and_duplicate_nothing()
    {
        const int PerProducer = 200_000;
        var queue = new TapQueue(1024);
        var seen = new bool[2 * PerProducer];
        long refused = 0;
        var producers = Enumerable.Range(0, 2).Select(p => new Thread(() =>
        {
            for (int i = 0; i < PerProducer; i++)
            {
                int value = (p * PerProducer) + i;
                while (!queue.TryEnqueue(TapItem.ForSenderReport(value, 0, 0, 0)))
                {
                    Interlocked.Increment(ref refused);
                    Thread.SpinWait(20);
                }
            }
        })).ToArray();
        foreach (Thread t in producers)
        {
            t.Start();
        }
        int received = 0;
        while (received < seen.Length)
        {
            if (queue.TryDequeue(out TapItem item))
            {
                Assert.False(seen[item.Track], $"item {item.Track} came twice");
                seen[item.Track] = true;
                received++;
            }
        }
        foreach (Thread t in producers)
        {
            t.Join();
        }
        Assert.All(seen, Assert.True);
        Assert.Equal(refused, queue.Dropped);
    }

    [Fact]
    public void Enqueue_and_dequeue_allocate_nothing()
    {
        var queue = new TapQueue(64);
        var pool = new PacketPool(16, preallocate: 16);
        PooledPacket packet = pool.Rent();
        long now = 0;
        Assert.Equal(0, Allocations.Measure(() =>
        {
            queue.TryEnqueue(TapItem.ForPacket(1, packet, 100, ++now));
            queue.TryDequeue(out _);
        }));
    }
}
