using System.Buffers.Binary;

namespace MediaRelay.LoadTest.Peers;

/// <summary>
/// What the generator puts at the start of every media payload, inside the SRTP-encrypted part so no server can
/// read or rewrite it: a magic word, the publisher's index and the send time (Stopwatch ticks, the same
/// CLOCK_MONOTONIC in every process of this machine). Video payloads start with a VP8 payload descriptor
/// (RFC 7741 §4.2) and a one-byte VP8 payload header, so an SFU's keyframe detection sees real frames; the marker
/// follows them.
/// </summary>
internal static class LoadPayload
{
    public const uint Magic = 0x4D524C54; // "MRLT"
    public const int MarkerLength = 16;

    /// <summary>
    /// Offset of the marker in a video payload: the 1-byte descriptor, then room for a key frame's 3-byte frame tag,
    /// start code and size (RFC 6386 §9.1), so every video packet keeps its marker at the same place.
    /// </summary>
    public const int VideoMarkerOffset = 11;

    public static void WriteMarker(Span<byte> destination, int publisher, long sendTicks)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, Magic);
        BinaryPrimitives.WriteInt32BigEndian(destination[4..], publisher);
        BinaryPrimitives.WriteInt64BigEndian(destination[8..], sendTicks);
    }

    public static bool TryReadMarker(ReadOnlySpan<byte> source, out int publisher, out long sendTicks)
    {
        publisher = 0;
        sendTicks = 0;
        if (source.Length < MarkerLength || BinaryPrimitives.ReadUInt32BigEndian(source) != Magic)
        {
            return false;
        }
        publisher = BinaryPrimitives.ReadInt32BigEndian(source[4..]);
        sendTicks = BinaryPrimitives.ReadInt64BigEndian(source[8..]);
        return true;
    }

    /// <summary>
    /// RFC 7741 §4.2 descriptor: X=0, N=0, S=1 on the first packet of the frame, PID=0; then the first byte of the
    /// VP8 frame tag (RFC 7741 §4.3, RFC 6386 §9.1) with the P bit 0 on a key frame, 1 on an inter frame; a key
    /// frame's first packet also carries the start code 9d 01 2a and a 640×360 size.
    /// </summary>
    public static int WriteVideoPrefix(Span<byte> destination, bool firstOfFrame, bool keyFrame)
    {
        destination[..VideoMarkerOffset].Clear();
        destination[0] = (byte)(firstOfFrame ? 0x10 : 0x00);
        if (firstOfFrame)
        {
            destination[1] = (byte)(keyFrame ? 0x10 : 0x11); // show_frame=1, P bit
            if (keyFrame)
            {
                destination[4] = 0x9d;
                destination[5] = 0x01;
                destination[6] = 0x2a;
                BinaryPrimitives.WriteUInt16LittleEndian(destination[7..], 640);
                BinaryPrimitives.WriteUInt16LittleEndian(destination[9..], 360);
            }
        }
        return VideoMarkerOffset;
    }
}
