using System.Buffers.Binary;

namespace MediaRelay.Rtp.Rtcp;

/// <summary>
/// Goodbye, PT=203 (RFC 3550 §6.6, https://www.rfc-editor.org/rfc/rfc3550#section-6.6): SC SSRC/CSRCs, then an
/// optional reason <c>length(8) | text</c> padded to 32 bits.
/// </summary>
public readonly ref struct RtcpBye
{
    private readonly Span<byte> _buffer;
    private readonly int _contentLength;

    private RtcpBye(Span<byte> buffer, int contentLength)
    {
        _buffer = buffer;
        _contentLength = contentLength;
    }

    public static bool TryParse(Span<byte> buffer, out RtcpBye bye)
    {
        bye = default;
        if (buffer.Length < 1
            || !RtcpHeader.TryGetTyped(buffer, RtcpPacketType.Bye, -1,
                RtcpHeader.Size + ((buffer[0] & 0x1F) * 4), out Span<byte> packet, out int content))
        {
            return false;
        }
        bye = new RtcpBye(packet, content);
        return true;
    }

    public Span<byte> Buffer => _buffer;

    public int SourceCount => _buffer[0] & 0x1F;

    public uint GetSsrc(int index)
    {
        if ((uint)index >= (uint)SourceCount)
        {
            Core.ThrowHelper.ThrowArgument("SSRC index out of range.", nameof(index));
        }
        return BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(RtcpHeader.Size + (index * 4)));
    }

    public void SetSsrc(int index, uint ssrc)
    {
        if ((uint)index >= (uint)SourceCount)
        {
            Core.ThrowHelper.ThrowArgument("SSRC index out of range.", nameof(index));
        }
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.Slice(RtcpHeader.Size + (index * 4)), ssrc);
    }

    /// <summary>The reason text, empty when absent or when its length runs past the packet.</summary>
    public ReadOnlySpan<byte> Reason
    {
        get
        {
            int offset = RtcpHeader.Size + (SourceCount * 4);
            if (offset >= _contentLength || offset + 1 + _buffer[offset] > _contentLength)
            {
                return default;
            }
            return _buffer.Slice(offset + 1, _buffer[offset]);
        }
    }

    public static int GetLength(int sourceCount, int reasonLength) =>
        RtcpHeader.Size + (sourceCount * 4) + (reasonLength == 0 ? 0 : (1 + reasonLength + 3) & ~3);

    /// <summary>Writes a BYE for up to 31 sources with an optional reason (at most 255 bytes); 0 when it does not fit.</summary>
    public static int Write(Span<byte> destination, ReadOnlySpan<uint> ssrcs, ReadOnlySpan<byte> reason = default)
    {
        int length = GetLength(ssrcs.Length, reason.Length);
        if (ssrcs.Length > 31 || reason.Length > 255 || destination.Length < length)
        {
            return 0;
        }
        RtcpHeader.Write(destination, ssrcs.Length, RtcpPacketType.Bye, length);
        int offset = RtcpHeader.Size;
        for (int i = 0; i < ssrcs.Length; i++, offset += 4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(offset), ssrcs[i]);
        }
        if (!reason.IsEmpty)
        {
            destination[offset] = (byte)reason.Length;
            reason.CopyTo(destination.Slice(offset + 1));
            destination.Slice(offset + 1 + reason.Length, length - offset - 1 - reason.Length).Clear();
        }
        return length;
    }

    public static int Write(Span<byte> destination, uint ssrc) => Write(destination, new ReadOnlySpan<uint>(in ssrc));
}
