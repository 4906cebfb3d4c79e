using System.Buffers.Binary;

namespace MediaRelay.Rtp;

/// <summary>
/// Writes a fresh RTP fixed header (RFC 3550 §5.1, https://www.rfc-editor.org/rfc/rfc3550#section-5.1):
/// version 2, no padding, no CSRC. Add one-byte header extensions with <see cref="RtpExtensionWriter"/>.
/// </summary>
public static class RtpHeaderWriter
{
    /// <summary>Writes the 12-byte header; returns 12, or 0 when <paramref name="destination"/> is too small.</summary>
    public static int Write(Span<byte> destination, bool marker, byte payloadType, ushort sequenceNumber, uint timestamp, uint ssrc)
    {
        if (destination.Length < RtpPacket.FixedHeaderLength)
        {
            return 0;
        }
        destination[0] = 0x80;
        destination[1] = (byte)((marker ? 0x80 : 0) | (payloadType & 0x7F));
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2), sequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4), timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(8), ssrc);
        return RtpPacket.FixedHeaderLength;
    }
}
