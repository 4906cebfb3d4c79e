using System.Numerics;
using System.Runtime.InteropServices;
using MediaRelay.Core;
using MediaRelay.Rtp;

namespace MediaRelay.Recording.Media;

/// <summary>
/// Puts one track's journaled RTP packets back into sequence order (RFC 3550 §A.1 extended sequence numbers):
/// reorders within a window of <c>windowPackets</c> sequence numbers or <c>windowMicroseconds</c> of arrival time,
/// drops duplicates and late packets, and declares sequence numbers lost once the window has passed them.
/// Usage: <see cref="Push"/> one packet, then <see cref="TryPop"/> until false; <see cref="Complete"/> at the end of
/// the journal and pop the rest. The packet bytes are copied into reused slots (zero allocation once every slot has
/// held a packet). A jump of more sequence numbers than the buffer holds (e.g. a network outage of seconds) is
/// handled: everything before it is released first and the skipped numbers are counted as lost.
/// </summary>
public sealed class TrackReorderBuffer
{
    private const long Empty = long.MinValue;
    private const int MinimumSlotSize = 1500;

    private readonly int _windowPackets;
    private readonly long _windowMicroseconds;
    private readonly int _capacity;
    private readonly int _mask;
    private readonly byte[]?[] _buffers;
    private readonly int[] _lengths;
    private readonly long[] _sequences;
    private readonly long[] _arrivals;

    private SequenceUnwrapper _unwrapper;
    private bool _started;
    private bool _delivered;
    private bool _completing;
    private long _head;
    private long _highest;
    private long _latestArrival;
    private int _count;
    private long _pendingLost;

    private byte[]? _parkedBuffer;
    private int _parkedLength;
    private long _parkedSequence;
    private long _parkedArrival;
    private bool _hasParked;

    public TrackReorderBuffer(int windowPackets = 100, long windowMicroseconds = 500_000)
    {
        if (windowPackets < 1 || windowPackets > 1 << 15 || windowMicroseconds < 0)
        {
            ThrowHelper.ThrowArgument("windowPackets must be 1..32768 and windowMicroseconds non-negative.");
        }
        _windowPackets = windowPackets;
        _windowMicroseconds = windowMicroseconds;
        _capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, windowPackets * 2));
        _mask = _capacity - 1;
        _buffers = new byte[]?[_capacity];
        _lengths = new int[_capacity];
        _sequences = new long[_capacity];
        _arrivals = new long[_capacity];
        _sequences.AsSpan().Fill(Empty);
    }

    /// <summary>Packets currently held.</summary>
    public int Count => _count + (_hasParked ? 1 : 0);

    /// <summary>Sequence numbers declared lost so far.</summary>
    public long Lost { get; private set; }

    public long Duplicates { get; private set; }

    public long Late { get; private set; }

    public long Invalid { get; private set; }

    public long Delivered { get; private set; }

    /// <summary>Stores a copy of one RTP packet received at <paramref name="arrivalMicroseconds"/>. Never throws.</summary>
    public ReorderPushResult Push(ReadOnlySpan<byte> packet, long arrivalMicroseconds)
    {
        // TryParse only reads; the view is not kept.
        Span<byte> readable = MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(packet), packet.Length);
        if (!RtpPacket.TryParse(readable, out RtpPacket rtp))
        {
            Invalid++;
            return ReorderPushResult.Invalid;
        }
        long sequence = _unwrapper.Unwrap(rtp.SequenceNumber);
        if (arrivalMicroseconds > _latestArrival || !_started)
        {
            _latestArrival = arrivalMicroseconds;
        }

        if (!_started)
        {
            _started = true;
            _head = sequence;
            _highest = sequence;
        }
        else if (sequence < _head)
        {
            // Before anything was delivered, an earlier packet simply moves the start back (reordered start).
            if (_delivered || _hasParked || _highest - sequence >= _capacity)
            {
                Late++;
                return ReorderPushResult.Late;
            }
            _head = sequence;
        }
        else if (sequence - _head >= _capacity)
        {
            if (_hasParked)
            {
                return sequence == _parkedSequence ? Duplicate() : ReorderPushResult.Overflow;
            }
            Copy(ref _parkedBuffer, packet);
            _parkedLength = packet.Length;
            _parkedSequence = sequence;
            _parkedArrival = arrivalMicroseconds;
            _hasParked = true;
            return ReorderPushResult.Buffered;
        }

        int slot = (int)(sequence & _mask);
        if (_sequences[slot] == sequence)
        {
            return Duplicate();
        }
        Store(slot, packet, sequence, arrivalMicroseconds);
        return ReorderPushResult.Buffered;
    }

    /// <summary>
    /// Releases the next packet in sequence order once the window allows it (or after <see cref="Complete"/>).
    /// The returned bytes stay valid until the next <see cref="Push"/>.
    /// </summary>
    public bool TryPop(out ReorderedPacket packet)
    {
        while (true)
        {
            if (_count == 0)
            {
                if (!_hasParked)
                {
                    packet = default;
                    return false;
                }
                // Everything before the jump is out: continue from the parked packet.
                long skipped = _parkedSequence - _head;
                _pendingLost += skipped;
                Lost += skipped;
                _head = _parkedSequence;
                _hasParked = false;
                Store((int)(_parkedSequence & _mask), _parkedBuffer.AsSpan(0, _parkedLength), _parkedSequence, _parkedArrival);
                continue;
            }

            if (!CanRelease())
            {
                packet = default;
                return false;
            }

            int slot = (int)(_head & _mask);
            if (_sequences[slot] != _head)
            {
                _head++;
                _pendingLost++;
                Lost++;
                continue;
            }

            packet = new ReorderedPacket(_buffers[slot].AsSpan(0, _lengths[slot]), _head, _arrivals[slot], _pendingLost);
            _sequences[slot] = Empty;
            _count--;
            _head++;
            _pendingLost = 0;
            _delivered = true;
            Delivered++;
            return true;
        }
    }

    /// <summary>End of the journal: from now on <see cref="TryPop"/> releases everything held.</summary>
    public void Complete() => _completing = true;

    private bool CanRelease()
    {
        if (_completing || _hasParked || _highest - _head >= _windowPackets)
        {
            return true;
        }
        // The oldest held packet (the first present at or after the head) has waited the window's time.
        for (long s = _head; s <= _highest; s++)
        {
            int slot = (int)(s & _mask);
            if (_sequences[slot] == s)
            {
                return _latestArrival - _arrivals[slot] >= _windowMicroseconds;
            }
        }
        return true;
    }

    private ReorderPushResult Duplicate()
    {
        Duplicates++;
        return ReorderPushResult.Duplicate;
    }

    private void Store(int slot, ReadOnlySpan<byte> packet, long sequence, long arrivalMicroseconds)
    {
        Copy(ref _buffers[slot], packet);
        _lengths[slot] = packet.Length;
        _sequences[slot] = sequence;
        _arrivals[slot] = arrivalMicroseconds;
        _count++;
        if (sequence > _highest)
        {
            _highest = sequence;
        }
    }

    private static void Copy(ref byte[]? buffer, ReadOnlySpan<byte> packet)
    {
        if (buffer is null || buffer.Length < packet.Length)
        {
            buffer = new byte[Math.Max(MinimumSlotSize, packet.Length)];
        }
        packet.CopyTo(buffer);
    }
}
