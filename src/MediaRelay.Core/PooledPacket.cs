using System.Diagnostics;
using System.Net;

namespace MediaRelay.Core;

/// <summary>
/// A datagram living in a pooled buffer. The renter owns one reference; anything that keeps the packet past the
/// call that handed it over (retransmission cache, recorder) calls <see cref="Retain"/> and later
/// <see cref="Release"/>. The last release returns the buffer to its <see cref="PacketPool"/>.
/// </summary>
public sealed class PooledPacket
{
    private readonly PacketPool _pool;
    private int _refCount;

    internal PooledPacket(PacketPool pool, int capacity)
    {
        _pool = pool;
        Buffer = GC.AllocateUninitializedArray<byte>(capacity, pinned: true);
        RemoteAddress = new SocketAddress(System.Net.Sockets.AddressFamily.InterNetworkV6);
    }

    /// <summary>The whole pooled buffer; valid bytes are <c>Buffer[0..Length]</c>.</summary>
    public byte[] Buffer { get; }

    /// <summary>Number of valid bytes.</summary>
    public int Length { get; set; }

    /// <summary>Where the datagram came from (filled by the socket loop); reused across rentals.</summary>
    public SocketAddress RemoteAddress { get; }

    /// <summary>Monotonic receive time (<see cref="System.Diagnostics.Stopwatch"/> ticks).</summary>
    public long ReceivedTimestamp { get; set; }

    /// <summary>
    /// For a copy queued to be sent later (a pacer's), when the packet it copies arrived (Stopwatch ticks; 0 when it
    /// is not a forward), so forward latency can be timed at the send.
    /// </summary>
    public long IngressTimestamp { get; set; }

    public Span<byte> Span => Buffer.AsSpan(0, Length);

    public int Capacity => Buffer.Length;

    public int RefCount => Volatile.Read(ref _refCount);

    internal void OnRent()
    {
        Debug.Assert(_refCount == 0, "rented packet still referenced");
        _refCount = 1;
        Length = 0;
        ReceivedTimestamp = 0;
    }

    /// <summary>Adds a reference; pair every call with one <see cref="Release"/>.</summary>
    public void Retain()
    {
        int n = Interlocked.Increment(ref _refCount);
        Debug.Assert(n > 1, "retain of a released packet");
    }

    /// <summary>Drops a reference; the last one returns the buffer to the pool.</summary>
    public void Release()
    {
        int n = Interlocked.Decrement(ref _refCount);
        if (n == 0)
        {
            _pool.Return(this);
        }
        else if (n < 0)
        {
            ThrowHelper.ThrowInvalidOperation("PooledPacket released more often than retained.");
        }
    }
}
