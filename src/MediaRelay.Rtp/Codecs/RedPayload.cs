using System.Buffers.Binary;

namespace MediaRelay.Rtp.Codecs;

/// <summary>
/// A validated view over an RTP payload for redundant audio data (RED, RFC 2198 §3,
/// https://www.rfc-editor.org/rfc/rfc2198#section-3):
/// <code>
///  0                   1                   2                   3
/// |F|   block PT  |  timestamp offset         |   block length    |   (F=1: a redundant block, 4 bytes)
/// |0|   Block PT  |                                                 (F=0: the final header, the primary)
/// </code>
/// The headers come first, then the block data in header order; the primary takes the rest of the payload.
/// <see cref="TryParse"/> checks every header and length once, so enumeration never fails afterwards.
/// Chromium sends opus RED as PT 63 wrapping PT 111 with one redundant block (distance 1, offset 960).
/// </summary>
public readonly ref struct RedPayload
{
    /// <summary>Largest block length a 10-bit field can carry.</summary>
    public const int MaxBlockLength = 0x3ff;

    /// <summary>Largest timestamp offset a 14-bit field can carry.</summary>
    public const int MaxTimestampOffset = 0x3fff;

    private readonly ReadOnlySpan<byte> _payload;

    private RedPayload(ReadOnlySpan<byte> payload, int blockCount, int headerLength)
    {
        _payload = payload;
        BlockCount = blockCount;
        HeaderLength = headerLength;
    }

    /// <summary>Number of blocks, the primary included (at least 1).</summary>
    public int BlockCount { get; }

    /// <summary>Number of redundant blocks (BlockCount - 1).</summary>
    public int RedundantCount => BlockCount - 1;

    /// <summary>Length of all block headers (4 per redundant block + 1).</summary>
    public int HeaderLength { get; }

    /// <summary>The whole RED payload.</summary>
    public ReadOnlySpan<byte> Payload => _payload;

    /// <summary>The primary (last) block.</summary>
    public RedBlock Primary
    {
        get
        {
            var e = GetEnumerator();
            RedBlock last = default;
            while (e.MoveNext())
            {
                last = e.Current;
            }
            return last;
        }
    }

    /// <summary>
    /// Parses and validates a RED payload (RFC 2198 §3): every header present, redundant lengths within the
    /// payload. Returns false for an empty payload or bad lengths; never throws.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out RedPayload red)
    {
        red = default;
        if (!TryScan(payload, out int count, out int headerLength, out _))
        {
            return false;
        }
        red = new RedPayload(payload, count, headerLength);
        return true;
    }

    /// <summary>
    /// Unwraps the primary block for a subscriber that did not negotiate RED (RFC 2198 §3): its payload type (the
    /// final header's Block PT) and its bytes (the rest of the payload). Never throws.
    /// </summary>
    public static bool TryGetPrimary(ReadOnlySpan<byte> payload, out byte payloadType, out ReadOnlySpan<byte> primary)
    {
        primary = default;
        payloadType = 0;
        if (!TryScan(payload, out _, out int headerLength, out int primaryOffset))
        {
            return false;
        }
        payloadType = (byte)(payload[headerLength - 1] & 0x7f);
        primary = payload.Slice(primaryOffset);
        return true;
    }

    public Enumerator GetEnumerator() => new(_payload);

    // Walks the headers: count of blocks, header length, where the primary data starts.
    private static bool TryScan(ReadOnlySpan<byte> payload, out int count, out int headerLength, out int primaryOffset)
    {
        count = 0;
        headerLength = 0;
        primaryOffset = 0;
        int offset = 0;
        int dataLength = 0;
        while (true)
        {
            if (offset >= payload.Length)
            {
                return false;
            }
            if ((payload[offset] & 0x80) == 0)
            {
                offset++;
                count++;
                break;
            }
            if (payload.Length - offset < 4)
            {
                return false;
            }
            dataLength += BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(offset + 2)) & MaxBlockLength;
            offset += 4;
            count++;
        }
        if (dataLength > payload.Length - offset)
        {
            return false;
        }
        headerLength = offset;
        primaryOffset = offset + dataLength;
        return true;
    }

    /// <summary>Enumerates blocks in header order (oldest redundant first, primary last, as senders order them).</summary>
    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _payload;
        private int _headerOffset;
        private int _dataOffset;
        private bool _done;

        internal Enumerator(ReadOnlySpan<byte> payload)
        {
            _payload = payload;
            _headerOffset = 0;
            _done = !TryScan(payload, out _, out _dataOffset, out _);
            Current = default;
        }

        public RedBlock Current { get; private set; }

        public bool MoveNext()
        {
            if (_done)
            {
                return false;
            }
            byte first = _payload[_headerOffset];
            byte payloadType = (byte)(first & 0x7f);
            if ((first & 0x80) == 0)
            {
                Current = new RedBlock(payloadType, 0, true, _payload.Slice(_dataOffset));
                _done = true;
                return true;
            }
            uint header = BinaryPrimitives.ReadUInt32BigEndian(_payload.Slice(_headerOffset));
            int timestampOffset = (int)((header >> 10) & MaxTimestampOffset);
            int length = (int)(header & MaxBlockLength);
            Current = new RedBlock(payloadType, timestampOffset, false, _payload.Slice(_dataOffset, length));
            _headerOffset += 4;
            _dataOffset += length;
            return true;
        }
    }
}
