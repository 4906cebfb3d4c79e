using MediaRelay.Rtp;

namespace MediaRelay.Sfu.Tests;

/// <summary>
/// Builds RTP packets (RFC 3550 §5.1) carrying VP8 (RFC 7741 §4.2-4.3) and Opus (RFC 7587) payloads. Payload bytes
/// after the codec headers follow a pattern derived from the sequence number, so byte-for-byte checks mean something.
/// </summary>
internal static class MediaPackets
{
    public const byte Vp8PayloadType = 96;
    public const byte OpusPayloadType = 111;
    public const uint PublisherVideoSsrc = 0x11223344;
    public const uint PublisherAudioSsrc = 0x55667788;

    /// <summary>First packet of a VP8 key frame: extended descriptor with a 15-bit PictureID, S=1, PID=0, P=0.</summary>
    public static byte[] Vp8KeyFrame(ushort sequence, uint timestamp, bool marker = false, int payloadLength = 200,
        bool withExtension = false, int padding = 0) =>
        Build(marker, Vp8PayloadType, sequence, timestamp, PublisherVideoSsrc,
            Vp8Payload(sequence, payloadLength, startOfFrame: true, keyFrame: true), withExtension, padding);

    /// <summary>First packet of a VP8 inter frame (P=1).</summary>
    public static byte[] Vp8Delta(ushort sequence, uint timestamp, bool marker = false, int payloadLength = 200,
        bool withExtension = false, int padding = 0) =>
        Build(marker, Vp8PayloadType, sequence, timestamp, PublisherVideoSsrc,
            Vp8Payload(sequence, payloadLength, startOfFrame: true, keyFrame: false), withExtension, padding);

    /// <summary>A middle packet of a VP8 frame (S=0): no VP8 payload header, never a sync point.</summary>
    public static byte[] Vp8Continuation(ushort sequence, uint timestamp, bool marker = false, int payloadLength = 200) =>
        Build(marker, Vp8PayloadType, sequence, timestamp, PublisherVideoSsrc,
            Vp8Payload(sequence, payloadLength, startOfFrame: false, keyFrame: false), false, 0);

    /// <summary>One 20 ms Opus frame (TOC: SILK WB 20 ms, mono, one frame) with an audio-level extension.</summary>
    public static byte[] Opus(ushort sequence, uint timestamp, bool marker = false, int payloadLength = 80)
    {
        byte[] payload = Pattern(sequence, payloadLength);
        payload[0] = 0x48;
        return Build(marker, OpusPayloadType, sequence, timestamp, PublisherAudioSsrc, payload, true, 0);
    }

    /// <summary>
    /// A VP8 payload (RFC 7741 §4.2 descriptor, S bit on the first packet) whose keyframe header (RFC 6386 §9.1)
    /// announces <paramref name="width"/> × 9/16 of it, as simulcast layers of different sizes send.
    /// </summary>
    public static byte[] Vp8SizedPayload(int width, bool keyFrame, int length = 60, bool firstPacket = true)
    {
        byte[] payload = new byte[length];
        payload[0] = (byte)(firstPacket ? 0x10 : 0x00); // S=1 on a frame's first packet, PID=0, no extensions
        payload[1] = (byte)(keyFrame ? 0x00 : 0x01);    // frame tag, P bit
        payload[4] = 0x9D;
        payload[5] = 0x01;
        payload[6] = 0x2A;
        payload[7] = (byte)width;
        payload[8] = (byte)(width >> 8);
        payload[9] = (byte)(width * 9 / 16);
        payload[10] = (byte)((width * 9 / 16) >> 8);
        return payload;
    }

    /// <summary>A bandwidth probe: P bit set and nothing but padding after the header (RFC 3550 §5.1).</summary>
    public static byte[] PaddingOnly(ushort sequence, uint timestamp, uint ssrc = PublisherVideoSsrc,
        int padding = 224) =>
        Build(false, Vp8PayloadType, sequence, timestamp, ssrc, Array.Empty<byte>(), true, padding);

    /// <summary>A header with no payload and no padding at all.</summary>
    public static byte[] Empty(ushort sequence, uint timestamp, uint ssrc = PublisherVideoSsrc) =>
        Build(false, Vp8PayloadType, sequence, timestamp, ssrc, Array.Empty<byte>(), false, 0);

    public static byte[] Build(bool marker, byte payloadType, ushort sequence, uint timestamp, uint ssrc,
        ReadOnlySpan<byte> payload, bool withExtension, int padding)
    {
        byte[] buffer = new byte[RtpPacket.FixedHeaderLength + 32 + payload.Length + padding];
        int header = RtpHeaderWriter.Write(buffer, marker, payloadType, sequence, timestamp, ssrc);
        if (withExtension)
        {
            var extension = new RtpExtensionWriter(buffer, header);
            extension.TryAdd(1, [0x85]);
            extension.TryAdd(3, [0x12, 0x34, 0x56]);
            header = extension.End();
        }
        payload.CopyTo(buffer.AsSpan(header));
        int length = header + payload.Length + padding;
        if (padding > 0)
        {
            buffer[0] |= 0x20;
            buffer[length - 1] = (byte)padding;
        }
        return buffer.AsSpan(0, length).ToArray();
    }

    private static byte[] Vp8Payload(ushort sequence, int length, bool startOfFrame, bool keyFrame)
    {
        byte[] payload = Pattern(sequence, Math.Max(length, 6));
        payload[0] = (byte)(startOfFrame ? 0x90 : 0x80); // X=1, S as asked, PID=0
        payload[1] = 0x80;                               // I: PictureID present
        payload[2] = (byte)(0x80 | (sequence >> 8 & 0x7F)); // M=1: 15-bit PictureID
        payload[3] = (byte)sequence;
        if (startOfFrame)
        {
            // VP8 payload header (RFC 7741 §4.3): size0|H|ver|P; P=0 on key frames.
            payload[4] = (byte)(keyFrame ? 0x10 : 0x11);
        }
        return payload;
    }

    private static byte[] Pattern(ushort sequence, int length)
    {
        byte[] payload = new byte[length];
        for (int i = 0; i < payload.Length; i++)
        {
            payload[i] = (byte)(sequence * 31 + i * 7);
        }
        return payload;
    }
}
