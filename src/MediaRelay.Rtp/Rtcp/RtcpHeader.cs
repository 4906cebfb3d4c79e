using System.Buffers.Binary;

namespace MediaRelay.Rtp.Rtcp;

/// <summary>
/// The 4-byte common RTCP header (RFC 3550 §6.4.1, https://www.rfc-editor.org/rfc/rfc3550#section-6.4.1):
/// <c>V=2 | P | RC/SC/FMT (5) | PT (8) | length (16, in 32-bit words minus one)</c>.
/// </summary>
public readonly ref struct RtcpHeader
{
    public const int Size = 4;

    private readonly ReadOnlySpan<byte> _buffer;

    private RtcpHeader(ReadOnlySpan<byte> buffer) => _buffer = buffer;

    /// <summary>Reads the header if at least 4 bytes are present and the version is 2 (lengths are not checked).</summary>
    public static bool TryParse(ReadOnlySpan<byte> buffer, out RtcpHeader header)
    {
        if (buffer.Length < Size || (buffer[0] >> 6) != 2)
        {
            header = default;
            return false;
        }
        header = new RtcpHeader(buffer);
        return true;
    }

    public int Version => _buffer[0] >> 6;

    public bool HasPadding => (_buffer[0] & 0x20) != 0;

    /// <summary>Reception report count, source count or feedback message type (FMT), per packet type.</summary>
    public int Count => _buffer[0] & 0x1F;

    public RtcpPacketType PacketType => (RtcpPacketType)_buffer[1];

    /// <summary>The raw length field: packet length in 32-bit words minus one.</summary>
    public int LengthWords => BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(2));

    /// <summary>Packet length in bytes, header and padding included.</summary>
    public int PacketLength => (LengthWords + 1) * 4;

    /// <summary>
    /// Writes a header without padding for a packet of <paramref name="packetLength"/> bytes (a multiple of 4).
    /// Returns 4, or 0 when the destination is too small.
    /// </summary>
    public static int Write(Span<byte> destination, int count, RtcpPacketType packetType, int packetLength)
    {
        if (destination.Length < Size)
        {
            return 0;
        }
        destination[0] = (byte)(0x80 | (count & 0x1F));
        destination[1] = (byte)packetType;
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2), (ushort)((packetLength / 4) - 1));
        return Size;
    }

    /// <summary>
    /// Validates one packet at the start of <paramref name="buffer"/>: version 2, length within the buffer, and a
    /// padding count (when P is set) of at least 1 that fits after the header. <paramref name="contentLength"/> is
    /// the packet length without padding.
    /// </summary>
    internal static bool TryGetBounds(ReadOnlySpan<byte> buffer, out int packetLength, out int contentLength)
    {
        packetLength = 0;
        contentLength = 0;
        if (buffer.Length < Size || (buffer[0] >> 6) != 2)
        {
            return false;
        }
        int length = (BinaryPrimitives.ReadUInt16BigEndian(buffer.Slice(2)) + 1) * 4;
        if (length > buffer.Length)
        {
            return false;
        }
        int padding = 0;
        if ((buffer[0] & 0x20) != 0)
        {
            padding = buffer[length - 1];
            if (padding == 0 || padding > length - Size)
            {
                return false;
            }
        }
        packetLength = length;
        contentLength = length - padding;
        return true;
    }

    /// <summary>Shared prologue of the typed views: bounds, packet type and (for feedback) FMT plus minimum size.</summary>
    internal static bool TryGetTyped(
        Span<byte> buffer, RtcpPacketType type, int format, int minContentLength, out Span<byte> packet, out int contentLength)
    {
        packet = default;
        if (!TryGetBounds(buffer, out int packetLength, out contentLength)
            || buffer[1] != (byte)type
            || (format >= 0 && (buffer[0] & 0x1F) != format)
            || contentLength < minContentLength)
        {
            return false;
        }
        packet = buffer.Slice(0, packetLength);
        return true;
    }
}
