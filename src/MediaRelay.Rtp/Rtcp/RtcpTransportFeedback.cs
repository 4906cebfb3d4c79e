using System.Buffers.Binary;

namespace MediaRelay.Rtp.Rtcp;

/// <summary>
/// Transport-wide congestion control feedback: RTPFB (PT=205) FMT=15
/// (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1,
/// https://datatracker.ietf.org/doc/html/draft-holmer-rmcat-transport-wide-cc-extensions-01#section-3.1).
/// After the two SSRCs: <c>base sequence (16) | packet status count (16) | reference time (24, 64 ms units) |
/// feedback packet count (8)</c>, then 16-bit packet status chunks, then one receive delta per received packet
/// (1 byte unsigned "small" or 2 bytes signed "large", in 250 µs units), zero-padded to 32 bits.
/// Chunks: run length <c>0 | S (2) | run (13)</c>; status vector <c>1 | 0 | 14 × 1-bit</c> or <c>1 | 1 | 7 × 2-bit</c>.
/// Symbols: 0 not received, 1 received with small delta, 2 received with large or negative delta, 3 reserved.
/// The reference time is carried as an unsigned 24-bit value; arrival times decode on that time base
/// (<c>ReferenceTime × 64 000 µs + Σ deltas</c>), so callers compare arrivals by difference only.
/// </summary>
public readonly ref struct RtcpTransportFeedback
{
    public const int Format = 15;
    public const int TickMicros = 250;
    public const int ReferenceTimeMicros = 64_000;
    private const int TicksPerReference = ReferenceTimeMicros / TickMicros; // 256
    private const int FciOffset = 12;
    private const int ChunksOffset = 20;

    private readonly ReadOnlySpan<byte> _buffer;
    private readonly int _contentLength;

    private RtcpTransportFeedback(ReadOnlySpan<byte> buffer, int contentLength)
    {
        _buffer = buffer;
        _contentLength = contentLength;
    }

    /// <summary>One packet's status: written from, and decoded into, caller-owned spans.</summary>
    public readonly record struct PacketResult(ushort Sequence, bool Received, long ArrivalMicros);

    public static bool TryParse(ReadOnlySpan<byte> buffer, out RtcpTransportFeedback feedback)
    {
        feedback = default;
        if (!RtcpHeader.TryGetBounds(buffer, out int packetLength, out int content)
            || buffer[1] != (byte)RtcpPacketType.TransportFeedback
            || (buffer[0] & 0x1F) != Format
            || content < ChunksOffset)
        {
            return false;
        }
        feedback = new RtcpTransportFeedback(buffer.Slice(0, packetLength), content);
        return true;
    }

    public ReadOnlySpan<byte> Buffer => _buffer;

    public uint SenderSsrc => BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(4));

    public uint MediaSsrc => BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(8));

    public ushort BaseSequence => BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(FciOffset));

    public int StatusCount => BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(FciOffset + 2));

    /// <summary>Unsigned 24-bit reference time in multiples of 64 ms.</summary>
    public int ReferenceTime => (int)(BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(FciOffset + 4)) >> 8);

    public byte FeedbackPacketCount => _buffer[FciOffset + 7];

    /// <summary>
    /// Decodes the first <c>min(StatusCount, destination.Length)</c> statuses in sequence order. Arrival times of
    /// received packets are <c>ReferenceTime × 64 ms + Σ deltas</c> in µs; lost packets get 0. Returns false (and
    /// <paramref name="count"/> 0) when chunks or deltas are truncated or a reserved symbol appears.
    /// </summary>
    public bool TryRead(Span<PacketResult> destination, out int count)
    {
        count = 0;
        int total = StatusCount;
        ReadOnlySpan<byte> content = _buffer.Slice(0, _contentLength);
        // Pass 1: find where the receive deltas start.
        int offset = ChunksOffset;
        int seen = 0;
        while (seen < total)
        {
            if (offset + 2 > content.Length)
            {
                return false;
            }
            seen += ChunkCapacity(BinaryPrimitives.ReadUInt16BigEndian(content.Slice(offset)));
            offset += 2;
        }
        int deltaOffset = offset;
        int wanted = Math.Min(total, destination.Length);
        long ticks = (long)ReferenceTime * TicksPerReference;
        ushort sequence = BaseSequence;
        offset = ChunksOffset;
        int index = 0;
        while (index < wanted)
        {
            ushort chunk = BinaryPrimitives.ReadUInt16BigEndian(content.Slice(offset));
            offset += 2;
            int capacity = ChunkCapacity(chunk);
            for (int k = 0; k < capacity && index < wanted; k++)
            {
                int symbol = ChunkSymbol(chunk, k);
                if (symbol == 3)
                {
                    return false;
                }
                if (symbol == 0)
                {
                    destination[index] = new PacketResult(sequence, false, 0);
                }
                else
                {
                    int size = symbol; // 1 or 2 bytes
                    if (deltaOffset + size > content.Length)
                    {
                        return false;
                    }
                    ticks += size == 1 ? content[deltaOffset] : BinaryPrimitives.ReadInt16BigEndian(content.Slice(deltaOffset));
                    deltaOffset += size;
                    destination[index] = new PacketResult(sequence, true, ticks * TickMicros);
                }
                sequence++;
                index++;
            }
        }
        count = wanted;
        return true;
    }

    private static int ChunkCapacity(ushort chunk) => (chunk & 0x8000) == 0 ? chunk & 0x1FFF : (chunk & 0x4000) == 0 ? 14 : 7;

    private static int ChunkSymbol(ushort chunk, int index)
    {
        if ((chunk & 0x8000) == 0)
        {
            return (chunk >> 13) & 0x3;
        }
        return (chunk & 0x4000) == 0 ? (chunk >> (13 - index)) & 0x1 : (chunk >> (12 - (2 * index))) & 0x3;
    }

    /// <summary>Upper bound of the packet length for <paramref name="statusCount"/> statuses.</summary>
    public static int GetMaxLength(int statusCount) => ChunksOffset + (((statusCount + 6) / 7) * 2) + (statusCount * 2) + 3;

    /// <summary>Reference time (64 ms units) for a first arrival in µs: the last 64 ms boundary at or before it.</summary>
    public static int GetReferenceTime(long arrivalMicros) => (int)Math.Floor(arrivalMicros / (double)ReferenceTimeMicros);

    /// <summary>
    /// Writes feedback covering <paramref name="baseSequence"/> up to the last entry of <paramref name="packets"/>.
    /// Entries are in ascending (wrap-aware) sequence order from the base; sequence numbers missing from the span, or
    /// entries with Received false, are reported lost. Arrival times are µs on the same time base as
    /// <paramref name="referenceTime"/> × 64 ms (only its low 24 bits go on the wire); each arrival is quantized to
    /// 250 µs without accumulating error. Returns the bytes written, or 0 when the span is empty or out of order, a
    /// delta exceeds ±8.19 s, or the packet does not fit.
    /// </summary>
    public static int Write(
        Span<byte> destination, uint senderSsrc, uint mediaSsrc, ushort baseSequence, int referenceTime,
        byte feedbackPacketCount, ReadOnlySpan<PacketResult> packets)
    {
        if (packets.IsEmpty || destination.Length < ChunksOffset + 4)
        {
            return 0;
        }
        int statusCount = (ushort)(packets[^1].Sequence - baseSequence) + 1;
        long startTicks = (long)referenceTime * TicksPerReference;

        // Pass 1: symbols → chunks, counting delta bytes.
        var encoder = new ChunkEncoder(destination, ChunksOffset);
        int cursor = 0;
        long previous = startTicks;
        int deltaBytes = 0;
        for (int slot = 0; slot < statusCount; slot++)
        {
            if (!TryNextSymbol(packets, baseSequence, slot, ref cursor, ref previous, out int symbol, out _)
                || !encoder.Add(symbol))
            {
                return 0;
            }
            deltaBytes += symbol;
        }
        if (cursor != packets.Length || !encoder.Flush())
        {
            return 0;
        }
        int offset = encoder.Offset;
        int length = (offset + deltaBytes + 3) & ~3;
        if (length > destination.Length)
        {
            return 0;
        }

        // Pass 2: the same walk writes the deltas.
        cursor = 0;
        previous = startTicks;
        for (int slot = 0; slot < statusCount; slot++)
        {
            TryNextSymbol(packets, baseSequence, slot, ref cursor, ref previous, out int symbol, out int delta);
            if (symbol == 1)
            {
                destination[offset++] = (byte)delta;
            }
            else if (symbol == 2)
            {
                BinaryPrimitives.WriteInt16BigEndian(destination.Slice(offset), (short)delta);
                offset += 2;
            }
        }
        destination.Slice(offset, length - offset).Clear();

        RtcpHeader.Write(destination, Format, RtcpPacketType.TransportFeedback, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4), senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(8), mediaSsrc);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(FciOffset), baseSequence);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(FciOffset + 2), (ushort)statusCount);
        BinaryPrimitives.WriteUInt32BigEndian(
            destination.Slice(FciOffset + 4), ((uint)referenceTime << 8) | feedbackPacketCount);
        return length;
    }

    /// <summary>Status symbol and delta (250 µs ticks) of slot <paramref name="slot"/>; false on bad order or range.</summary>
    private static bool TryNextSymbol(
        ReadOnlySpan<PacketResult> packets, ushort baseSequence, int slot, ref int cursor, ref long previous,
        out int symbol, out int delta)
    {
        symbol = 0;
        delta = 0;
        if (cursor >= packets.Length)
        {
            return true;
        }
        PacketResult packet = packets[cursor];
        int at = (ushort)(packet.Sequence - baseSequence);
        if (at < slot)
        {
            return false; // duplicate or out of order
        }
        if (at > slot)
        {
            return true; // a gap: lost
        }
        cursor++;
        if (!packet.Received)
        {
            return true;
        }
        long ticks = Math.DivRem(packet.ArrivalMicros, TickMicros, out long rest);
        if (rest < 0)
        {
            ticks--;
        }
        long d = ticks - previous;
        if (d < short.MinValue || d > short.MaxValue)
        {
            return false;
        }
        previous = ticks;
        delta = (int)d;
        symbol = d >= 0 && d <= byte.MaxValue ? 1 : 2;
        return true;
    }

    /// <summary>
    /// Packs symbols into chunks: a run of one symbol becomes a run length chunk; otherwise full status vectors
    /// (14 one-bit symbols when none is 2, else 7 two-bit symbols). Only the last chunk may be partly filled.
    /// </summary>
    private ref struct ChunkEncoder
    {
        private const int MaxRun = 0x1FFF;
        private readonly Span<byte> _destination;
        private ulong _symbols; // first 14 pending symbols, 2 bits each, oldest in the low bits
        private int _count;
        private bool _allSame;
        private bool _hasLarge;

        public ChunkEncoder(Span<byte> destination, int offset)
        {
            _destination = destination;
            Offset = offset;
            _allSame = true;
        }

        public int Offset { get; private set; }

        public bool Add(int symbol)
        {
            if (!CanAdd(symbol))
            {
                if (_allSame)
                {
                    if (!Emit(RunChunk()))
                    {
                        return false;
                    }
                    Reset();
                }
                else if (_count == 14 && !_hasLarge)
                {
                    if (!Emit(VectorChunk(oneBit: true, 14)))
                    {
                        return false;
                    }
                    Reset();
                }
                else
                {
                    if (!Emit(VectorChunk(oneBit: false, 7)))
                    {
                        return false;
                    }
                    DropFirstSeven();
                }
            }
            Push(symbol);
            return true;
        }

        public bool Flush()
        {
            if (_count == 0)
            {
                return true;
            }
            if (_allSame)
            {
                return Emit(RunChunk());
            }
            return Emit(VectorChunk(oneBit: !_hasLarge, _count));
        }

        private readonly bool CanAdd(int symbol)
        {
            if (_count == 0)
            {
                return true;
            }
            if (_count < 7 || (_count < 14 && !_hasLarge && symbol != 2))
            {
                return true;
            }
            return _allSame && symbol == (int)(_symbols & 0x3) && _count < MaxRun;
        }

        private void Push(int symbol)
        {
            if (_count > 0 && symbol != (int)(_symbols & 0x3))
            {
                _allSame = false;
            }
            if (_count < 14)
            {
                _symbols |= (ulong)symbol << (2 * _count);
            }
            _hasLarge |= symbol == 2;
            _count++;
        }

        private void Reset()
        {
            _symbols = 0;
            _count = 0;
            _allSame = true;
            _hasLarge = false;
        }

        private void DropFirstSeven()
        {
            ulong rest = _symbols >> 14;
            int remaining = _count - 7;
            Reset();
            for (int i = 0; i < remaining; i++)
            {
                Push((int)((rest >> (2 * i)) & 0x3));
            }
        }

        private readonly ushort RunChunk() => (ushort)(((int)(_symbols & 0x3) << 13) | _count);

        private readonly ushort VectorChunk(bool oneBit, int take)
        {
            int chunk = oneBit ? 0x8000 : 0xC000;
            for (int i = 0; i < take; i++)
            {
                int symbol = (int)((_symbols >> (2 * i)) & 0x3);
                chunk |= oneBit ? symbol << (13 - i) : symbol << (12 - (2 * i));
            }
            return (ushort)chunk;
        }

        private bool Emit(ushort chunk)
        {
            if (Offset + 2 > _destination.Length)
            {
                return false;
            }
            BinaryPrimitives.WriteUInt16BigEndian(_destination.Slice(Offset), chunk);
            Offset += 2;
            return true;
        }
    }
}
