using System.Diagnostics;
using MediaRelay.Core;

namespace MediaRelay.Sfu.Nack;

/// <summary>
/// Recent packets of ONE inbound RTP stream, keyed by sequence number, kept so that a subscriber's generic NACK
/// (RFC 4585 §6.2.1, https://www.rfc-editor.org/rfc/rfc4585#section-6.2.1) can be answered by a retransmission
/// (RFC 4588, https://www.rfc-editor.org/rfc/rfc4588). The cache holds one reference on each pooled plaintext
/// packet (<see cref="PooledPacket.Retain"/>), so every consumer can resend it after its own rewrite.
/// <para>
/// A ring of <c>capacity</c> slots indexed by <c>sequence &amp; (capacity - 1)</c>. A slot answers only for the exact
/// sequence number stored in it, and only while younger than <see cref="MaxAge"/> (set it from the measured RTT with
/// <see cref="SetMaxAge"/>: a retransmission older than that arrives too late to be played). Times are
/// <see cref="Stopwatch"/> ticks. Single-threaded (the media loop); <see cref="Store"/> and <see cref="TryGet"/> allocate
/// nothing. Call <see cref="Clear"/> when the stream closes to give every packet back to its pool.
/// </para>
/// </summary>
public sealed class RetransmissionCache
{
    public const int DefaultCapacity = 1024;

    private readonly PooledPacket?[] _packets;
    private readonly ushort[] _sequences;
    private readonly long[] _storedAt;
    private readonly int _mask;
    private long _maxAgeTicks;
    private int _count;

    public RetransmissionCache(TimeSpan maxAge, int capacity = DefaultCapacity)
    {
        if (capacity < 1 || capacity > 65536 || (capacity & (capacity - 1)) != 0)
        {
            ThrowHelper.ThrowArgument("The capacity must be a power of two between 1 and 65536.", nameof(capacity));
        }
        _packets = new PooledPacket?[capacity];
        _sequences = new ushort[capacity];
        _storedAt = new long[capacity];
        _mask = capacity - 1;
        SetMaxAge(maxAge);
    }

    public int Capacity => _packets.Length;

    /// <summary>Slots currently holding a packet (expired ones included until overwritten or cleared).</summary>
    public int Count => _count;

    public TimeSpan MaxAge { get; private set; }

    /// <summary>Packets stored (duplicates and stale arrivals excluded).</summary>
    public long Stored { get; private set; }

    /// <summary>Successful lookups.</summary>
    public long Hits { get; private set; }

    /// <summary>Lookups that found nothing usable (never stored, overwritten or expired).</summary>
    public long Misses { get; private set; }

    /// <summary>How long a packet may be served after it was stored; follow the measured RTT.</summary>
    public void SetMaxAge(TimeSpan maxAge)
    {
        if (maxAge <= TimeSpan.Zero)
        {
            ThrowHelper.ThrowArgument("The maximum age must be positive.", nameof(maxAge));
        }
        MaxAge = maxAge;
        _maxAgeTicks = (long)(maxAge.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>
    /// Keeps <paramref name="packet"/> (one added reference) under <paramref name="sequence"/>. A live copy of the
    /// same sequence number is kept (duplicate ignored). An older occupant of the slot is released and replaced; a
    /// live newer occupant wins over a late arrival that is already a full ring behind.
    /// </summary>
    public void Store(PooledPacket packet, ushort sequence, long now)
    {
        int slot = sequence & _mask;
        PooledPacket? occupant = _packets[slot];
        if (occupant is not null)
        {
            bool live = now - _storedAt[slot] <= _maxAgeTicks;
            ushort occupantSequence = _sequences[slot];
            if (live && (occupantSequence == sequence || SequenceNumber.IsNewer(occupantSequence, sequence)))
            {
                return;
            }
            occupant.Release();
            _count--;
        }
        packet.Retain();
        _packets[slot] = packet;
        _sequences[slot] = sequence;
        _storedAt[slot] = now;
        _count++;
        Stored++;
    }

    /// <summary>
    /// Finds the packet stored under <paramref name="sequence"/>. The packet is borrowed: valid until the next
    /// <see cref="Store"/> or <see cref="Clear"/>; call <see cref="PooledPacket.Retain"/> to keep it longer.
    /// </summary>
    public bool TryGet(ushort sequence, long now, out PooledPacket packet)
    {
        int slot = sequence & _mask;
        PooledPacket? occupant = _packets[slot];
        if (occupant is null || _sequences[slot] != sequence || now - _storedAt[slot] > _maxAgeTicks)
        {
            Misses++;
            packet = null!;
            return false;
        }
        Hits++;
        packet = occupant;
        return true;
    }

    /// <summary>Releases every packet held (call when the stream closes).</summary>
    public void Clear()
    {
        for (int i = 0; i < _packets.Length; i++)
        {
            PooledPacket? occupant = _packets[i];
            if (occupant is not null)
            {
                _packets[i] = null;
                occupant.Release();
            }
        }
        _count = 0;
    }
}
