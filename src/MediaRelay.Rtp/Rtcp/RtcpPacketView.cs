using System.Buffers.Binary;

namespace MediaRelay.Rtp.Rtcp;

/// <summary>
/// One packet of a compound RTCP packet (RFC 3550 §6.1, https://www.rfc-editor.org/rfc/rfc3550#section-6.1), as
/// yielded by <see cref="RtcpCompoundReader"/>: already checked for version, length and padding, and for the minimum
/// size its type needs. Pass <see cref="Buffer"/> to a typed view (<see cref="RtcpSenderReport"/>, <see cref="RtcpNack"/>...).
/// </summary>
public readonly ref struct RtcpPacketView
{
    private readonly Span<byte> _buffer;
    private readonly int _contentLength;

    internal RtcpPacketView(Span<byte> buffer, int contentLength)
    {
        _buffer = buffer;
        _contentLength = contentLength;
    }

    /// <summary>The whole packet: header, body and padding.</summary>
    public Span<byte> Buffer => _buffer;

    public int Length => _buffer.Length;

    public bool HasPadding => (_buffer[0] & 0x20) != 0;

    public int PaddingLength => _buffer.Length - _contentLength;

    /// <summary>RC, SC or FMT depending on the packet type.</summary>
    public int Count => _buffer[0] & 0x1F;

    public RtcpPacketType PacketType => (RtcpPacketType)_buffer[1];

    /// <summary>Bytes after the 4-byte header, padding excluded.</summary>
    public Span<byte> Body => _buffer.Slice(RtcpHeader.Size, _contentLength - RtcpHeader.Size);

    /// <summary>
    /// The first 32-bit word after the header: the sender SSRC of SR/RR/feedback/APP packets, the first source of
    /// SDES/BYE. 0 when the packet has no body.
    /// </summary>
    public uint Ssrc
    {
        get => _contentLength >= 8 ? BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(4)) : 0;
        set
        {
            if (_contentLength >= 8)
            {
                BinaryPrimitives.WriteUInt32BigEndian(_buffer.Slice(4), value);
            }
        }
    }
}
