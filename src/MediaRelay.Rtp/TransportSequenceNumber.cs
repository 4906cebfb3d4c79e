using System.Buffers.Binary;

namespace MediaRelay.Rtp;

/// <summary>
/// The transport-wide sequence number header extension (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2): a
/// one-byte element (RFC 8285 §4.2) carrying a 16-bit number that counts every RTP packet sent on the transport.
/// Writers reserve the element when building the header; the sender stamps the number just before the packet
/// leaves, so the numbers follow the wire order even when a pacer reorders packets.
/// </summary>
public static class TransportSequenceNumber
{
    /// <summary>Offset of the 16-bit value in a header written by <see cref="ReserveAfterFixedHeader"/>.</summary>
    public const int ValueOffset = RtpPacket.FixedHeaderLength + 5;

    /// <summary>Length of the extension block <see cref="ReserveAfterFixedHeader"/> appends (0xBEDE header + one padded element).</summary>
    public const int BlockLength = 8;

    /// <summary>
    /// Appends an extension block holding only this element (value 0) after a 12-byte header without CSRCs and
    /// sets the X bit. Returns the new header length, or 0 when the id is out of 1..14 or the buffer is too small.
    /// </summary>
    public static int ReserveAfterFixedHeader(Span<byte> packet, int id)
    {
        if (id < 1 || id > 14 || packet.Length < RtpPacket.FixedHeaderLength + BlockLength)
        {
            return 0;
        }
        packet[0] |= 0x10;
        Span<byte> block = packet.Slice(RtpPacket.FixedHeaderLength, BlockLength);
        block[0] = 0xBE;
        block[1] = 0xDE;
        block[2] = 0;
        block[3] = 1; // one 32-bit word follows
        block[4] = (byte)((id << 4) | 1); // two bytes of data
        block[5] = 0;
        block[6] = 0;
        block[7] = 0; // padding
        return RtpPacket.FixedHeaderLength + BlockLength;
    }

    /// <summary>
    /// Writes <paramref name="sequence"/> into a header laid out by <see cref="ReserveAfterFixedHeader"/> with
    /// <paramref name="id"/>; false (nothing written) for any other layout.
    /// </summary>
    public static bool TryStamp(Span<byte> packet, int id, ushort sequence)
    {
        if (id == 0 || packet.Length < RtpPacket.FixedHeaderLength + BlockLength
            || (packet[0] & 0x1F) != 0x10 // X set, no CSRC
            || packet[12] != 0xBE || packet[13] != 0xDE || packet[16] != (byte)((id << 4) | 1))
        {
            return false;
        }
        BinaryPrimitives.WriteUInt16BigEndian(packet.Slice(ValueOffset), sequence);
        return true;
    }
}
