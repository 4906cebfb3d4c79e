using MediaRelay.Core;
using MediaRelay.Testing;

namespace MediaRelay.Core.Tests;

public sealed class PacketPoolTests
{
    [Fact]
    public void Rent_then_release_returns_the_buffer_for_reuse()
    {
        var pool = new PacketPool(maxPackets: 4, preallocate: 1);
        PooledPacket p = pool.Rent();
        p.Length = 100;
        Assert.Equal(1, pool.Outstanding);
        p.Release();
        Assert.Equal(0, pool.Outstanding);
        PooledPacket again = pool.Rent();
        Assert.Same(p, again);
        Assert.Equal(0, again.Length); // reset on rent
        again.Release();
    }

    [Fact]
    public void Retained_packet_returns_only_after_the_last_release()
    {
        var pool = new PacketPool(maxPackets: 4, preallocate: 1);
        PooledPacket p = pool.Rent();
        p.Retain();
        p.Release();
        Assert.Equal(1, pool.Outstanding);
        Assert.Equal(1, p.RefCount);
        p.Release();
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void Releasing_more_than_retained_throws()
    {
        var pool = new PacketPool(maxPackets: 4, preallocate: 1);
        PooledPacket p = pool.Rent();
        p.Release();
        Assert.Throws<InvalidOperationException>(p.Release);
    }

    [Fact]
    public void Pool_is_bounded_and_counts_exhaustion()
    {
        var pool = new PacketPool(maxPackets: 3, preallocate: 0);
        var rented = new List<PooledPacket>();
        for (int i = 0; i < 3; i++)
        {
            Assert.True(pool.TryRent(out PooledPacket p));
            rented.Add(p);
        }
        Assert.False(pool.TryRent(out _));
        Assert.False(pool.TryRent(out _));
        Assert.Equal(2, pool.Exhausted);
        Assert.Equal(3, pool.Created);
        Assert.Throws<InvalidOperationException>(() => pool.Rent());
        rented[0].Release();
        Assert.True(pool.TryRent(out PooledPacket back));
        Assert.Same(rented[0], back);
    }

    [Fact]
    public void Concurrent_rent_and_release_never_hands_one_buffer_to_two_owners()
    {
        var pool = new PacketPool(maxPackets: 64, preallocate: 8);
        int violations = 0;
        Parallel.For(0, 4, _ =>
        {
            for (int i = 0; i < 50_000; i++)
            {
                if (!pool.TryRent(out PooledPacket p))
                {
                    continue;
                }
                // An exclusive owner sees its own mark survive; a second owner would overwrite it.
                int mark = Environment.CurrentManagedThreadId * 1_000_000 + i;
                BitConverter.TryWriteBytes(p.Buffer, mark);
                Thread.SpinWait(10);
                if (BitConverter.ToInt32(p.Buffer) != mark)
                {
                    Interlocked.Increment(ref violations);
                }
                p.Release();
            }
        });
        Assert.Equal(0, violations);
        Assert.Equal(0, pool.Outstanding);
        Assert.True(pool.Created <= 64);
    }

    [Fact]
    public void Rent_and_release_allocate_nothing_after_warm_up()
    {
        var pool = new PacketPool(maxPackets: 16, preallocate: 16);
        for (int i = 0; i < 1000; i++)
        {
            pool.Rent().Release();
        }
        long allocated = AllocationMeter.Measure(() =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                PooledPacket p = pool.Rent();
                p.Retain();
                p.Release();
                p.Release();
            }
        });
        Assert.Equal(0, allocated);
        Assert.Equal(0, pool.Outstanding);
    }
}
