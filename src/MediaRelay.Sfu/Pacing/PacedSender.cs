using System.Diagnostics;
using MediaRelay.Core;

namespace MediaRelay.Sfu.Pacing;

/// <summary>
/// Leaky-bucket pacer in front of one subscriber's transport, so that a keyframe burst or a burst of
/// retransmissions leaves at a bounded rate instead of overflowing a bottleneck queue (draft-ietf-rmcat-gcc-02 §4,
/// https://datatracker.ietf.org/doc/html/draft-ietf-rmcat-gcc-02#section-4: pace at about 2.5 × the estimate;
/// RFC 8083 §4.3, https://www.rfc-editor.org/rfc/rfc8083#section-4.3: a sender persistently above what the path carries
/// trips the congestion circuit breaker).
/// <para>
/// Budget: bytes accrue at <c>rate / 8</c> per second of elapsed <see cref="Stopwatch"/> time, capped at 5 ms worth
/// (at least one MTU) so that idle time is not banked; a packet may leave while the budget is positive, and sending
/// drives it down (it may go negative, at most 500 ms worth). Audio leaves at once and never waits. Other packets
/// leave at once from the caller's buffer while nothing is queued and the budget allows; otherwise they are copied
/// into a pooled buffer and queued, and leave in <see cref="PacketPriority"/> order (retransmission, video, padding),
/// first in first out within a priority, from <see cref="Send"/> and <see cref="OnTick"/>.
/// </para>
/// <para>
/// Latency stays bounded: like libwebrtc's queue-time limit, the effective rate is raised to
/// <c>queued bits / (500 ms − age of the oldest queued packet)</c> whenever that is higher than the pacing rate, so a
/// backlog drains within about 500 ms. When the queue holds <c>maxQueuedPackets</c> or the pool is empty, queued
/// padding is evicted first, then the new packet is dropped and counted in <see cref="Dropped"/>. Padding that has
/// waited more than 50 ms is discarded unsent (<see cref="ExpiredPadding"/>).
/// </para>
/// Single-threaded (the media loop); nothing is allocated per packet once the queues have grown to their working size.
/// </summary>
public sealed class PacedSender
{
    /// <summary>Bytes kept free after a queued copy for the SRTP trailer (auth tag, MKI).</summary>
    public const int TrailerHeadroom = 32;

    private const int MtuBytes = 1500;
    private const int QueueCount = 3; // Retransmission, Video, Padding
    private const int PaddingQueue = (int)PacketPriority.Padding - 1;

    private static readonly long BurstTicks = Stopwatch.Frequency / 200;          // 5 ms
    private static readonly long QueueTimeLimitTicks = Stopwatch.Frequency / 2;   // 500 ms
    private static readonly long PaddingMaxAgeTicks = Stopwatch.Frequency / 20;   // 50 ms
    private static readonly long MinDrainTicks = Stopwatch.Frequency / 1000;      // 1 ms

    private readonly IPacedTransport _transport;
    private readonly PacketPool _pool;
    private readonly PacingQueue[] _queues;
    private readonly int _maxQueuedPackets;
    private readonly int _maxCopyLength;
    private long _rate;
    private double _budget = MtuBytes;
    private long _lastRefill;
    private bool _refilled;
    private int _queuedPackets;

    public PacedSender(IPacedTransport transport, PacketPool pool, int maxQueuedPackets = 2048)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxQueuedPackets, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxQueuedPackets, 1 << 20);
        _transport = transport;
        _pool = pool;
        _maxQueuedPackets = maxQueuedPackets;
        _maxCopyLength = pool.BufferSize - TrailerHeadroom;
        _queues = new PacingQueue[QueueCount];
        for (int i = 0; i < QueueCount; i++)
        {
            _queues[i] = new PacingQueue(maxQueuedPackets);
        }
    }

    /// <summary>Pacing rate in bits per second; 0 = unpaced (everything leaves at once).</summary>
    public long Rate => _rate;

    /// <summary>Packets waiting in the queues.</summary>
    public int QueuedPackets => _queuedPackets;

    /// <summary>Bytes waiting in the queues.</summary>
    public long QueuedBytes => _queues[0].Bytes + _queues[1].Bytes + _queues[2].Bytes;

    /// <summary>Packets dropped because the queue was full or the pool exhausted (new or evicted padding included).</summary>
    public long Dropped { get; private set; }

    /// <summary>Queued padding packets discarded unsent because they waited more than 50 ms.</summary>
    public long ExpiredPadding { get; private set; }

    /// <summary>Current budget in bytes (negative while in debt); for tests and metrics.</summary>
    public double Budget => _budget;

    /// <summary>
    /// Sets the pacing rate (bits per second), typically 2.5 × the bandwidth estimate
    /// (draft-ietf-rmcat-gcc-02 §4). 0 turns pacing off: the queue is flushed at the next call.
    /// </summary>
    public void SetRate(long bitsPerSecond)
    {
        if (bitsPerSecond < 0)
        {
            ThrowHelper.ThrowArgument("The pacing rate cannot be negative.", nameof(bitsPerSecond));
        }
        _rate = bitsPerSecond;
    }

    /// <summary>
    /// Sends <paramref name="buffer"/>[0..length] now or queues a copy of it; the buffer is borrowed for the call only
    /// (it must have <see cref="TrailerHeadroom"/> bytes after <paramref name="length"/>, as the transport protects in
    /// place). <paramref name="now"/> is in <see cref="Stopwatch"/> ticks. Returns false when the packet was dropped,
    /// the transport refused it, or the length or priority is invalid.
    /// </summary>
    public bool Send(byte[] buffer, int length, PacketPriority priority, long now)
    {
        if (buffer is null || length <= 0 || length > buffer.Length - TrailerHeadroom
            || (uint)priority > (uint)PacketPriority.Padding)
        {
            return false;
        }
        if (priority == PacketPriority.Audio || _rate == 0)
        {
            if (_queuedPackets > 0 && _rate == 0)
            {
                Drain(now); // keep order when pacing was just turned off
            }
            Refill(now);
            return TransmitDirect(buffer, length, priority, now);
        }

        Refill(now);
        if (_queuedPackets == 0 && _budget > 0)
        {
            return TransmitDirect(buffer, length, priority, now);
        }
        if (!Enqueue(buffer, length, priority, now))
        {
            return false;
        }
        Drain(now);
        return true;
    }

    /// <summary>Sends what the budget allows from the queues; call every few milliseconds (≤ 5 ms) on the media loop.</summary>
    public void OnTick(long now)
    {
        Refill(now);
        if (_queuedPackets > 0)
        {
            Drain(now);
        }
    }

    /// <summary>Age of the oldest queued packet (zero when the queue is empty).</summary>
    public TimeSpan QueueDelay(long now)
    {
        if (_queuedPackets == 0)
        {
            return TimeSpan.Zero;
        }
        long age = now - OldestEnqueuedAt();
        return age <= 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(0, age);
    }

    /// <summary>Gives every queued buffer back to its pool (the peer is closing). Counters are kept.</summary>
    public void Clear()
    {
        for (int i = 0; i < QueueCount; i++)
        {
            _queues[i].Clear();
        }
        _queuedPackets = 0;
    }

    private bool TransmitDirect(byte[] buffer, int length, PacketPriority priority, long now)
    {
        bool sent = _transport.Transmit(buffer, length, priority, now);
        if (sent)
        {
            Consume(length);
        }
        return sent;
    }

    private bool Enqueue(byte[] buffer, int length, PacketPriority priority, long now)
    {
        if (length > _maxCopyLength)
        {
            Dropped++;
            return false;
        }
        if (_queuedPackets >= _maxQueuedPackets && (priority == PacketPriority.Padding || !EvictPadding()))
        {
            Dropped++;
            return false;
        }
        if (!_pool.TryRent(out PooledPacket packet)
            && (priority == PacketPriority.Padding || !EvictPadding() || !_pool.TryRent(out packet)))
        {
            Dropped++;
            return false;
        }
        buffer.AsSpan(0, length).CopyTo(packet.Buffer);
        packet.Length = length;
        packet.ReceivedTimestamp = now;
        packet.IngressTimestamp = IngressClock.Current;
        if (!_queues[(int)priority - 1].TryEnqueue(packet, now))
        {
            packet.Release(); // unreachable while the per-queue capacity covers maxQueuedPackets
            Dropped++;
            return false;
        }
        _queuedPackets++;
        return true;
    }

    /// <summary>Drops the oldest queued padding packet to make room; false when no padding is queued.</summary>
    private bool EvictPadding()
    {
        PacingQueue padding = _queues[PaddingQueue];
        if (padding.Count == 0)
        {
            return false;
        }
        padding.Dequeue().Release();
        _queuedPackets--;
        Dropped++;
        return true;
    }

    private void Drain(long now)
    {
        PacingQueue padding = _queues[PaddingQueue];
        while (padding.Count > 0 && now - padding.OldestEnqueuedAt > PaddingMaxAgeTicks)
        {
            padding.Dequeue().Release();
            _queuedPackets--;
            ExpiredPadding++;
        }
        while (_queuedPackets > 0 && (_rate == 0 || _budget > 0))
        {
            int index = _queues[0].Count > 0 ? 0 : _queues[1].Count > 0 ? 1 : 2;
            PooledPacket packet = _queues[index].Dequeue();
            _queuedPackets--;
            long ingress = IngressClock.Current;
            IngressClock.Current = packet.IngressTimestamp; // the queued packet's own arrival, for the egress's timing
            if (_transport.Transmit(packet.Buffer, packet.Length, (PacketPriority)(index + 1), now))
            {
                Consume(packet.Length);
            }
            IngressClock.Current = ingress;
            packet.Release();
        }
    }

    /// <summary>Accrues budget for the time elapsed since the last call, at the effective rate, up to the burst cap.</summary>
    private void Refill(long now)
    {
        if (!_refilled)
        {
            _refilled = true;
            _lastRefill = now;
            return;
        }
        long elapsed = now - _lastRefill;
        if (elapsed <= 0)
        {
            return;
        }
        _lastRefill = now;
        if (_rate == 0)
        {
            return;
        }
        double rate = EffectiveRate(now);
        double cap = Math.Max(MtuBytes, rate / 8 * BurstTicks / Stopwatch.Frequency);
        double budget = _budget + (rate / 8 * elapsed / Stopwatch.Frequency);
        _budget = budget < cap ? budget : cap;
    }

    /// <summary>
    /// The pacing rate, raised so that the queue empties before its oldest packet has waited 500 ms (libwebrtc's
    /// queue-time limit): <c>max(rate, queued bits / max(1 ms, 500 ms − oldest age))</c>.
    /// </summary>
    private double EffectiveRate(long now)
    {
        double rate = _rate;
        if (_queuedPackets > 0)
        {
            long left = Math.Max(MinDrainTicks, QueueTimeLimitTicks - (now - OldestEnqueuedAt()));
            double needed = QueuedBytes * 8.0 * Stopwatch.Frequency / left;
            if (needed > rate)
            {
                rate = needed;
            }
        }
        return rate;
    }

    private void Consume(int length)
    {
        double budget = _budget - length;
        double floor = -Math.Max(MtuBytes, _rate / 16.0); // at most 500 ms of debt
        _budget = budget > floor ? budget : floor;
    }

    private long OldestEnqueuedAt()
    {
        long oldest = long.MaxValue;
        for (int i = 0; i < QueueCount; i++)
        {
            PacingQueue queue = _queues[i];
            if (queue.Count > 0 && queue.OldestEnqueuedAt < oldest)
            {
                oldest = queue.OldestEnqueuedAt;
            }
        }
        return oldest;
    }
}
