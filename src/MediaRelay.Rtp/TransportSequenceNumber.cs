using System.Buffers.Binary;

namespace MediaRelay.Rtp;

/// <summary>
/// The transport-wide sequence number header extension (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2): a
/// one-byte element (RFC 8285 §4.2) carrying a 16-bit number that counts every RTP packet sent on the transport.
/// Writers reserve the element as the first one after a 12-byte header (<see cref="TryReserve"/>); the sender stamps
/// the number just before the packet leaves, so the numbers follow the wire order even when a pacer reorders packets.
/// </summary>
public static class TransportSequenceNumber
{
    /// <summary>Offset of the 16-bit value when the element comes first after a header without CSRCs.</summary>
    public const int ValueOffset = RtpPacket.FixedHeaderLength + 5;

    private static readonly byte[] Placeholder = [0, 0];

    /// <summary>Adds the element (value 0) to <paramref name="extensions"/>; call it before any other element.</summary>
    public static bool TryReserve(ref RtpExtensionWriter extensions, int id) =>
        extensions.Count == 0 && extensions.TryAdd(id, Placeholder);

    /// <summary>
    /// Writes <paramref name="sequence"/> into a header whose first extension element is this one with
    /// <paramref name="id"/> (see <see cref="TryReserve"/>); false (nothing written) for any other layout.
    /// </summary>
    public static bool TryStamp(Span<byte> packet, int id, ushort sequence)
    {
        if (id == 0 || packet.Length < ValueOffset + 2
            || (packet[0] & 0x1F) != 0x10 // X set, no CSRC
            || packet[12] != 0xBE || packet[13] != 0xDE || packet[16] != (byte)((id << 4) | 1))
        {
            return false;
        }
        BinaryPrimitives.WriteUInt16BigEndian(packet.Slice(ValueOffset), sequence);
        return true;
    }
}
