using MediaRelay.Core;
using MediaRelay.Sfu.Nack;
using MediaRelay.Testing;

namespace MediaRelay.Sfu.Tests.Nack;

public class RetransmissionCacheTests
{
    private static readonly long T0 = TestMedia.T0;
    private static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(500);

    private static PooledPacket Packet(PacketPool pool, byte marker)
    {
        PooledPacket p = pool.Rent();
        p.Buffer[0] = marker;
        p.Length = 100;
        return p;
    }

    /// <summary>What the ingress path does: rent, hand to the cache, drop its own reference.</summary>
    private static void StoreAndDrop(RetransmissionCache cache, PacketPool pool, ushort seq, long now)
    {
        PooledPacket p = Packet(pool, (byte)seq);
        cache.Store(p, seq, now);
        p.Release();
    }

    [Fact]
    public void StoredPacketIsFound()
    {
        var pool = new PacketPool(64, preallocate: 0);
        var cache = new RetransmissionCache(MaxAge, 16);
        PooledPacket p = Packet(pool, 7);
        cache.Store(p, 1000, T0);
        Assert.Equal(2, p.RefCount);

        Assert.True(cache.TryGet(1000, T0 + TestMedia.Milliseconds(10), out PooledPacket got));
        Assert.Same(p, got);
        Assert.Equal(2, p.RefCount); // borrowed, not retained
        Assert.False(cache.TryGet(1001, T0, out _));
        Assert.False(cache.TryGet((ushort)(1000 + 16), T0, out _)); // same slot, other number
        Assert.Equal(1, cache.Hits);
        Assert.Equal(2, cache.Misses);

        p.Release();
        cache.Clear();
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void WrapAroundAcross65535()
    {
        var pool = new PacketPool(64, preallocate: 0);
        var cache = new RetransmissionCache(MaxAge, 32);
        for (int i = 0; i < 20; i++)
        {
            StoreAndDrop(cache, pool, (ushort)(65530 + i), T0 + i);
        }
        for (int i = 0; i < 20; i++)
        {
            ushort seq = (ushort)(65530 + i);
            Assert.True(cache.TryGet(seq, T0 + 20, out PooledPacket got));
            Assert.Equal((byte)seq, got.Buffer[0]);
        }
        Assert.Equal(20, pool.Outstanding);
        cache.Clear();
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void OverwriteReleasesTheOlderPacket()
    {
        var pool = new PacketPool(64, preallocate: 0);
        var cache = new RetransmissionCache(MaxAge, 16);
        for (int i = 0; i < 16 * 3; i++)
        {
            StoreAndDrop(cache, pool, (ushort)i, T0 + i);
        }
        Assert.Equal(16, pool.Outstanding); // one packet per slot, older occupants returned
        Assert.Equal(16, cache.Count);
        Assert.False(cache.TryGet(0, T0 + 50, out _));
        Assert.False(cache.TryGet(31, T0 + 50, out _));
        Assert.True(cache.TryGet(47, T0 + 50, out _));
        Assert.True(cache.TryGet(32, T0 + 50, out _));
        cache.Clear();
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void LateArrivalAFullRingBehindDoesNotEvictANewerPacket()
    {
        var pool = new PacketPool(64, preallocate: 0);
        var cache = new RetransmissionCache(MaxAge, 16);
        StoreAndDrop(cache, pool, 20, T0);
        StoreAndDrop(cache, pool, 4, T0 + 1); // same slot, older number
        Assert.True(cache.TryGet(20, T0 + 2, out _));
        Assert.False(cache.TryGet(4, T0 + 2, out _));
        Assert.Equal(1, pool.Outstanding);
        cache.Clear();
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void PacketsOlderThanMaxAgeAreNotServedAndAreReplaced()
    {
        var pool = new PacketPool(64, preallocate: 0);
        var cache = new RetransmissionCache(MaxAge, 16);
        StoreAndDrop(cache, pool, 5, T0);
        Assert.True(cache.TryGet(5, T0 + TestMedia.Milliseconds(500), out _));
        Assert.False(cache.TryGet(5, T0 + TestMedia.Milliseconds(501), out _));

        cache.SetMaxAge(TimeSpan.FromSeconds(2)); // RTT grew
        Assert.True(cache.TryGet(5, T0 + TestMedia.Milliseconds(1500), out _));
        cache.SetMaxAge(TimeSpan.FromMilliseconds(100));
        Assert.False(cache.TryGet(5, T0 + TestMedia.Milliseconds(150), out _));

        // An expired occupant gives way even to an "older" number (65536 numbers later, after a restart...).
        StoreAndDrop(cache, pool, (ushort)65525, T0 + TestMedia.Milliseconds(200));
        Assert.True(cache.TryGet((ushort)65525, T0 + TestMedia.Milliseconds(210), out _));
        Assert.Equal(1, pool.Outstanding);
        cache.Clear();
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void DuplicatesAreIgnored()
    {
        var pool = new PacketPool(64, preallocate: 0);
        var cache = new RetransmissionCache(MaxAge, 16);
        PooledPacket first = Packet(pool, 1);
        PooledPacket duplicate = Packet(pool, 2);
        cache.Store(first, 9, T0);
        cache.Store(duplicate, 9, T0 + 1);
        Assert.Equal(1, duplicate.RefCount); // not retained
        Assert.Equal(2, first.RefCount);
        Assert.True(cache.TryGet(9, T0 + 2, out PooledPacket got));
        Assert.Same(first, got);
        Assert.Equal(1, cache.Stored);

        first.Release();
        duplicate.Release();
        cache.Clear();
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void ClearReleasesEverything()
    {
        var pool = new PacketPool(2048, preallocate: 0);
        var cache = new RetransmissionCache(MaxAge);
        Assert.Equal(1024, cache.Capacity);
        for (int i = 0; i < 1500; i++)
        {
            StoreAndDrop(cache, pool, (ushort)(60000 + i), T0 + i);
        }
        Assert.Equal(1024, pool.Outstanding);
        cache.Clear();
        Assert.Equal(0, pool.Outstanding);
        Assert.Equal(0, cache.Count);
        Assert.False(cache.TryGet((ushort)(60000 + 1499), T0 + 1500, out _));
        cache.Clear(); // idempotent
        Assert.Equal(0, pool.Outstanding);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(1000)]
    public void CapacityMustBeAPowerOfTwo(int capacity) =>
        Assert.Throws<ArgumentException>(() => new RetransmissionCache(MaxAge, capacity));

    [Fact]
    public void StoreAndTryGetAllocateNothing()
    {
        var pool = new PacketPool(2048, preallocate: 2048);
        var cache = new RetransmissionCache(MaxAge);
        long now = T0;
        int hits = 0;
        void Run(int from, int count)
        {
            for (int i = from; i < from + count; i++)
            {
                now += TestMedia.Milliseconds(1);
                StoreAndDrop(cache, pool, (ushort)i, now);
                if (cache.TryGet((ushort)(i - 100), now, out PooledPacket p) && p.Length == 100)
                {
                    hits++;
                }
            }
        }
        Run(0, 2_000); // warm-up, wraps the ring twice

        int next = 2_000;
        long allocated = AllocationMeter.Measure(() =>
        {
            Run(next, 70_000); // each run crosses 65535 -> 0 once
            next += 70_000;
        }, out int runs);

        Assert.Equal(0, allocated);
        Assert.Equal(2_000 + (runs * 70_000) - 100, hits);
        cache.Clear();
        Assert.Equal(0, pool.Outstanding);
    }
}
