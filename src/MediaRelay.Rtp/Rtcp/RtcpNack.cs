using System.Buffers.Binary;

namespace MediaRelay.Rtp.Rtcp;

/// <summary>
/// Generic NACK: RTPFB (PT=205) FMT=1 (RFC 4585 §6.2.1, https://www.rfc-editor.org/rfc/rfc4585#section-6.2.1).
/// Each 4-byte FCI is <c>PID (16) | BLP (16)</c>: PID is lost, and bit i of BLP (LSB = 0) means PID+i+1 is lost.
/// Enumerate lost sequence numbers with <c>foreach (ushort seq in nack)</c> (no allocation).
/// </summary>
public readonly ref struct RtcpNack
{
    public const int Format = 1;
    private const int FciOffset = 12;

    private readonly Span<byte> _buffer;
    private readonly int _contentLength;

    private RtcpNack(Span<byte> buffer, int contentLength)
    {
        _buffer = buffer;
        _contentLength = contentLength;
    }

    public static bool TryParse(Span<byte> buffer, out RtcpNack nack)
    {
        nack = default;
        if (!RtcpHeader.TryGetTyped(buffer, RtcpPacketType.TransportFeedback, Format, FciOffset + 4, out Span<byte> packet, out int content))
        {
            return false;
        }
        nack = new RtcpNack(packet, content);
        return true;
    }

    public Span<byte> Buffer => _buffer;

    public uint SenderSsrc
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(4));
        set => BinaryPrimitives.WriteUInt32BigEndian(_buffer.Slice(4), value);
    }

    public uint MediaSsrc
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(8));
        set => BinaryPrimitives.WriteUInt32BigEndian(_buffer.Slice(8), value);
    }

    public int PairCount => (_contentLength - FciOffset) / 4;

    public ushort GetPacketId(int index) => BinaryPrimitives.ReadUInt16BigEndian(Pair(index));

    public ushort GetBitmask(int index) => BinaryPrimitives.ReadUInt16BigEndian(Pair(index).Slice(2));

    /// <summary>Rewrites a PID in place (an SFU maps consumer sequence numbers back to the producer's).</summary>
    public void SetPacketId(int index, ushort packetId) => BinaryPrimitives.WriteUInt16BigEndian(Pair(index), packetId);

    public void SetBitmask(int index, ushort bitmask) => BinaryPrimitives.WriteUInt16BigEndian(Pair(index).Slice(2), bitmask);

    private Span<byte> Pair(int index)
    {
        if ((uint)index >= (uint)PairCount)
        {
            Core.ThrowHelper.ThrowArgument("NACK pair index out of range.", nameof(index));
        }
        return _buffer.Slice(FciOffset + (index * 4), 4);
    }

    public Enumerator GetEnumerator() => new(_buffer.Slice(FciOffset, PairCount * 4));

    /// <summary>Upper bound of the packet length for <paramref name="sequenceCount"/> sequence numbers.</summary>
    public static int GetMaxLength(int sequenceCount) => FciOffset + (sequenceCount * 4);

    /// <summary>
    /// Writes a NACK covering every sequence number given. Each run of numbers within 16 after a PID goes into its
    /// BLP, so an ascending (wrap-aware) list packs tightest; any order is still covered. Returns the bytes written,
    /// or 0 when the list is empty or the packet does not fit.
    /// </summary>
    public static int Write(Span<byte> destination, uint senderSsrc, uint mediaSsrc, ReadOnlySpan<ushort> sequenceNumbers)
    {
        if (sequenceNumbers.IsEmpty || destination.Length < FciOffset + 4)
        {
            return 0;
        }
        int offset = FciOffset;
        ushort pid = sequenceNumbers[0];
        ushort blp = 0;
        for (int i = 1; i < sequenceNumbers.Length; i++)
        {
            ushort distance = (ushort)(sequenceNumbers[i] - pid);
            if (distance == 0)
            {
                continue;
            }
            if (distance <= 16)
            {
                blp |= (ushort)(1 << (distance - 1));
                continue;
            }
            if (offset + 8 > destination.Length)
            {
                return 0;
            }
            WritePair(destination.Slice(offset), pid, blp);
            offset += 4;
            pid = sequenceNumbers[i];
            blp = 0;
        }
        WritePair(destination.Slice(offset), pid, blp);
        offset += 4;

        RtcpHeader.Write(destination, Format, RtcpPacketType.TransportFeedback, offset);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4), senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(8), mediaSsrc);
        return offset;
    }

    private static void WritePair(Span<byte> destination, ushort pid, ushort blp)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, pid);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2), blp);
    }

    /// <summary>Yields each lost sequence number: the PID, then PID+i+1 for each set BLP bit i.</summary>
    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _fci;
        private int _pair;
        private int _bit;
        private ushort _current;

        internal Enumerator(ReadOnlySpan<byte> fci)
        {
            _fci = fci;
            _pair = -1;
            _bit = 16;
            _current = 0;
        }

        public readonly ushort Current => _current;

        public bool MoveNext()
        {
            while (true)
            {
                if (_bit >= 16)
                {
                    _pair++;
                    if ((_pair + 1) * 4 > _fci.Length)
                    {
                        return false;
                    }
                    _bit = 0;
                    _current = BinaryPrimitives.ReadUInt16BigEndian(_fci.Slice(_pair * 4));
                    return true;
                }
                int pairStart = _pair * 4;
                ushort blp = BinaryPrimitives.ReadUInt16BigEndian(_fci.Slice(pairStart + 2));
                int bit = _bit++;
                if ((blp & (1 << bit)) != 0)
                {
                    _current = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(_fci.Slice(pairStart)) + bit + 1);
                    return true;
                }
            }
        }
    }
}
