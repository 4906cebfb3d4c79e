using System.Buffers.Binary;

namespace MediaRelay.Rtp.Codecs;

/// <summary>
/// The frame size a VP8 keyframe announces (RFC 6386 §9.1: 3-byte frame tag, start code 9D 01 2A, then 14-bit width
/// and height, little-endian, each with a 2-bit scale). The SFU learns each simulcast layer's resolution from it.
/// </summary>
public static class Vp8KeyframeHeader
{
    /// <summary>
    /// Reads the size from the RTP payload of the first packet of a VP8 keyframe (descriptor included). False for
    /// anything else: deltas, continuation packets, truncated or malformed payloads.
    /// </summary>
    public static bool TryReadSize(ReadOnlySpan<byte> payload, out int width, out int height)
    {
        width = 0;
        height = 0;
        if (!Vp8PayloadDescriptor.TryParse(payload, out Vp8PayloadDescriptor descriptor)
            || !descriptor.StartOfPartition || descriptor.PartitionIndex != 0)
        {
            return false;
        }
        ReadOnlySpan<byte> frame = payload[descriptor.Length..];
        if (frame.Length < 10 || (frame[0] & 0x01) != 0 // P bit: 0 means keyframe
            || frame[3] != 0x9D || frame[4] != 0x01 || frame[5] != 0x2A)
        {
            return false;
        }
        width = BinaryPrimitives.ReadUInt16LittleEndian(frame[6..]) & 0x3FFF;
        height = BinaryPrimitives.ReadUInt16LittleEndian(frame[8..]) & 0x3FFF;
        return width > 0 && height > 0;
    }
}
