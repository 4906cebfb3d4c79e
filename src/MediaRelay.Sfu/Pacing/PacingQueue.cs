using System.Numerics;
using MediaRelay.Core;

namespace MediaRelay.Sfu.Pacing;

/// <summary>
/// First-in first-out ring of pooled packets of one <see cref="PacketPriority"/>, with the time each was queued.
/// Starts small and doubles up to <c>maxCapacity</c> (a rare, cold growth), so an idle subscriber costs little and
/// a busy one allocates nothing per packet once warmed up. Owns one reference on every packet it holds.
/// Single-threaded (the media loop).
/// </summary>
internal sealed class PacingQueue
{
    private const int InitialCapacity = 32;

    private readonly int _maxCapacity;
    private PooledPacket?[] _packets;
    private long[] _enqueuedAt;
    private int _head;
    private int _count;

    public PacingQueue(int maxPackets)
    {
        _maxCapacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(maxPackets, 1));
        int initial = Math.Min(InitialCapacity, _maxCapacity);
        _packets = new PooledPacket?[initial];
        _enqueuedAt = new long[initial];
    }

    public int Count => _count;

    /// <summary>Bytes of all packets held.</summary>
    public long Bytes { get; private set; }

    /// <summary>When the oldest packet was queued; only meaningful while <see cref="Count"/> &gt; 0.</summary>
    public long OldestEnqueuedAt => _enqueuedAt[_head];

    /// <summary>Takes over the caller's reference on <paramref name="packet"/>; false when the ring is full.</summary>
    public bool TryEnqueue(PooledPacket packet, long now)
    {
        if (_count == _packets.Length && !TryGrow())
        {
            return false;
        }
        int slot = (_head + _count) & (_packets.Length - 1);
        _packets[slot] = packet;
        _enqueuedAt[slot] = now;
        _count++;
        Bytes += packet.Length;
        return true;
    }

    /// <summary>Removes the oldest packet and hands its reference to the caller. Call only when not empty.</summary>
    public PooledPacket Dequeue()
    {
        PooledPacket packet = _packets[_head]!;
        _packets[_head] = null;
        _head = (_head + 1) & (_packets.Length - 1);
        _count--;
        Bytes -= packet.Length;
        return packet;
    }

    /// <summary>Releases every packet held (its buffer goes back to the pool).</summary>
    public void Clear()
    {
        while (_count > 0)
        {
            Dequeue().Release();
        }
        _head = 0;
    }

    private bool TryGrow()
    {
        int capacity = _packets.Length;
        if (capacity >= _maxCapacity)
        {
            return false;
        }
        var packets = new PooledPacket?[capacity * 2];
        var enqueuedAt = new long[capacity * 2];
        for (int i = 0; i < _count; i++)
        {
            int slot = (_head + i) & (capacity - 1);
            packets[i] = _packets[slot];
            enqueuedAt[i] = _enqueuedAt[slot];
        }
        _packets = packets;
        _enqueuedAt = enqueuedAt;
        _head = 0;
        return true;
    }
}
