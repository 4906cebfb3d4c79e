namespace MediaRelay.Core;

/// <summary>
/// A bounded pool of fixed-size, pinned packet buffers kept in a lock-free free list. Renting never blocks: when the pool is empty and the
/// bound is reached, <see cref="TryRent"/> returns false and the caller drops the datagram (counted), so a flood
/// can never grow memory without limit.
/// </summary>
public sealed class PacketPool
{
    /// <summary>Large enough for any datagram on a 1500-byte MTU path plus SRTP tag growth.</summary>
    public const int DefaultBufferSize = 1536;

    private readonly BoundedFreeList<PooledPacket> _free;
    private readonly int _bufferSize;
    private readonly int _maxPackets;
    private int _created;
    private long _exhausted;

    public PacketPool(int maxPackets = 16384, int bufferSize = DefaultBufferSize, int preallocate = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPackets, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 64);
        _bufferSize = bufferSize;
        _maxPackets = maxPackets;
        _free = new BoundedFreeList<PooledPacket>(maxPackets);
        for (int i = 0; i < Math.Min(preallocate, maxPackets); i++)
        {
            _created++;
            _free.TryAdd(new PooledPacket(this, bufferSize));
        }
    }

    public int BufferSize => _bufferSize;

    /// <summary>Packets created so far (in the pool or rented).</summary>
    public int Created => Volatile.Read(ref _created);

    /// <summary>Packets currently rented out (leak detector in tests).</summary>
    public int Outstanding => Volatile.Read(ref _created) - _free.Count;

    /// <summary>How many rentals failed because the bound was reached.</summary>
    public long Exhausted => Interlocked.Read(ref _exhausted);

    public bool TryRent(out PooledPacket packet)
    {
        if (!_free.TryTake(out packet!))
        {
            if (Interlocked.Increment(ref _created) > _maxPackets)
            {
                Interlocked.Decrement(ref _created);
                Interlocked.Increment(ref _exhausted);
                packet = null!;
                return false;
            }
            packet = new PooledPacket(this, _bufferSize);
        }
        packet.OnRent();
        return true;
    }

    public PooledPacket Rent()
    {
        if (!TryRent(out var p))
        {
            ThrowHelper.ThrowInvalidOperation("Packet pool exhausted.");
        }
        return p;
    }

    internal void Return(PooledPacket packet)
    {
        // Capacity covers every packet ever created, so this cannot fail; a failure would mean a double return.
        if (!_free.TryAdd(packet))
        {
            ThrowHelper.ThrowInvalidOperation("Packet pool returned more packets than it created.");
        }
    }
}
