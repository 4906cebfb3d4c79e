using System.Buffers.Binary;

namespace MediaRelay.Rtp;

/// <summary>
/// RFC 4588 §4 (https://www.rfc-editor.org/rfc/rfc4588#section-4): a retransmission packet carries its own SSRC,
/// payload type and sequence number; its payload starts with the original sequence number (OSN, 16 bits) followed
/// by the original payload. A packet whose payload is shorter than the OSN is padding only (bandwidth probes).
/// </summary>
public static class RtxPacket
{
    /// <summary>
    /// Turns the RTX packet in <paramref name="packet"/> back into the original in place: original payload type,
    /// sequence number and SSRC, the OSN removed, padding dropped; header extensions and timestamp are kept.
    /// Returns false (nothing changed) for a malformed or padding-only packet.
    /// </summary>
    public static bool TryRestore(Span<byte> packet, byte originalPayloadType, uint originalSsrc, out int length)
    {
        length = 0;
        if (!RtpPacket.TryParse(packet, out RtpPacket view) || view.PayloadLength < 2)
        {
            return false;
        }
        int header = view.HeaderLength;
        int payload = view.PayloadLength;
        ushort originalSequence = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(header));
        packet.Slice(header + 2, payload - 2).CopyTo(packet.Slice(header));
        packet[0] &= 0xDF; // the RTX packet's padding is gone with its tail
        packet[1] = (byte)((packet[1] & 0x80) | (originalPayloadType & 0x7F));
        BinaryPrimitives.WriteUInt16BigEndian(packet.Slice(2), originalSequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.Slice(8), originalSsrc);
        length = header + payload - 2;
        return true;
    }

    /// <summary>True when the RTX packet carries no original payload (a padding-only probe).</summary>
    public static bool IsPaddingOnly(RtpPacket packet) => packet.PayloadLength < 2;
}
