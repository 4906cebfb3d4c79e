using System.Buffers.Binary;

namespace MediaRelay.Rtp.Codecs;

/// <summary>
/// Builds a RED payload (RFC 2198 §3, https://www.rfc-editor.org/rfc/rfc2198#section-3) in place: say how many
/// redundant blocks come, add them (oldest first), then the primary. Headers and data are written straight into
/// the destination; nothing is allocated. Every step returns false when a field or the destination is too small.
/// <code>
/// var w = new RedPayloadWriter(buffer, redundantCount: 1);
/// w.TryAddRedundant(111, 960, previousOpus);
/// w.TryWritePrimary(111, currentOpus, out int length);
/// </code>
/// </summary>
public ref struct RedPayloadWriter
{
    private readonly Span<byte> _destination;
    private readonly int _redundantCount;
    private int _added;
    private int _dataOffset;
    private bool _failed;

    public RedPayloadWriter(Span<byte> destination, int redundantCount)
    {
        _destination = destination;
        _redundantCount = redundantCount;
        _added = 0;
        _dataOffset = (redundantCount * 4) + 1;
        _failed = redundantCount < 0 || _dataOffset > destination.Length;
    }

    /// <summary>Adds the next redundant block: a 4-byte header (F=1) and its data.</summary>
    public bool TryAddRedundant(byte payloadType, int timestampOffset, ReadOnlySpan<byte> data)
    {
        if (_failed || _added >= _redundantCount || payloadType > 0x7f
            || (uint)timestampOffset > RedPayload.MaxTimestampOffset || data.Length > RedPayload.MaxBlockLength
            || data.Length > _destination.Length - _dataOffset)
        {
            return false;
        }
        uint header = 0x8000_0000u | ((uint)payloadType << 24) | ((uint)timestampOffset << 10) | (uint)data.Length;
        BinaryPrimitives.WriteUInt32BigEndian(_destination.Slice(_added * 4), header);
        data.CopyTo(_destination.Slice(_dataOffset));
        _dataOffset += data.Length;
        _added++;
        return true;
    }

    /// <summary>
    /// Writes the final 1-byte header (F=0) and the primary data; <paramref name="length"/> is the payload length.
    /// All announced redundant blocks must have been added.
    /// </summary>
    public bool TryWritePrimary(byte payloadType, ReadOnlySpan<byte> data, out int length)
    {
        length = 0;
        if (_failed || _added != _redundantCount || payloadType > 0x7f || data.Length > _destination.Length - _dataOffset)
        {
            return false;
        }
        _destination[_redundantCount * 4] = payloadType;
        data.CopyTo(_destination.Slice(_dataOffset));
        length = _dataOffset + data.Length;
        _failed = true; // Written once.
        return true;
    }
}
