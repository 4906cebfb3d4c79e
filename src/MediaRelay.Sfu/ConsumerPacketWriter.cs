using System.Buffers.Binary;
using MediaRelay.Core;
using MediaRelay.Rtp;
using MediaRelay.Rtp.Codecs;

namespace MediaRelay.Sfu;

/// <summary>
/// Builds what a consumer sends into its own pinned buffer, never into the shared plaintext: rewritten media packets
/// (RFC 3550 §7.2; VP8 picture numbers continued across layer switches, <see cref="Vp8Numbering"/>), RTX
/// retransmissions and padding (RFC 4588 §4), each with a reserved transport-wide sequence
/// number when the subscriber negotiated transport-cc. The buffer leaves room for the SRTP trailer.
/// Media loop only; allocation-free.
/// </summary>
internal sealed class ConsumerPacketWriter
{
    /// <summary>Most padding bytes one packet can carry: the count is one byte (RFC 3550 §5.1).</summary>
    public const int MaxPaddingBytes = 255;

    private readonly Producer _producer;
    private readonly bool _vp8;
    private Vp8Numbering _vp8Numbering;
    private ushort _rtxSequence = (ushort)Random.Shared.Next(0, 65536);

    public ConsumerPacketWriter(Producer producer, uint ssrc, byte payloadType, byte redPayloadType, uint rtxSsrc,
        byte rtxPayloadType)
    {
        _producer = producer;
        _vp8 = producer.KeyFrameFormat == KeyFrameFormat.Vp8;
        Ssrc = ssrc;
        PayloadType = payloadType;
        RedPayloadType = redPayloadType;
        RtxSsrc = rtxSsrc;
        RtxPayloadType = rtxPayloadType;
    }

    public byte[] Buffer { get; } = GC.AllocateUninitializedArray<byte>(PacketPool.DefaultBufferSize, pinned: true);
    public uint Ssrc { get; }
    public byte PayloadType { get; }
    public byte RedPayloadType { get; }
    public uint RtxSsrc { get; }
    public byte RtxPayloadType { get; }

    /// <summary>A sync point (key frame after a switch or a pause): VP8 picture numbers continue from the last sent.</summary>
    public void Rebase(ReadOnlySpan<byte> payload)
    {
        if (_vp8)
        {
            _vp8Numbering.Rebase(payload);
        }
    }

    /// <summary>
    /// The rewritten media packet; 0 when it does not fit or there is nothing to send. Redundant audio (RFC 2198) is
    /// passed on with the subscriber's payload types, or unwrapped to its primary frame for a subscriber without RED.
    /// </summary>
    public int WriteMedia(RtpPacket packet, ReadOnlySpan<byte> payload, ushort sequence, uint timestamp, OutgoingExtensions extensions)
    {
        byte payloadType = PayloadType;
        bool red = _producer.RedPayloadType != 0 && packet.PayloadType == _producer.RedPayloadType;
        if (red)
        {
            if (RedPayloadType != 0)
            {
                payloadType = RedPayloadType;
            }
            else if (!RedPayload.TryGetPrimary(payload, out _, out payload) || payload.IsEmpty)
            {
                return 0;
            }
        }
        int headerLength = WriteHeader(packet.Marker, payloadType, sequence, timestamp, Ssrc, extensions);
        if (!Fits(headerLength, payload.Length))
        {
            return 0;
        }
        payload.CopyTo(Buffer.AsSpan(headerLength));
        if (red && RedPayloadType != 0 && _producer.Codec.PayloadType != PayloadType)
        {
            RewriteRedBlockTypes(Buffer.AsSpan(headerLength, payload.Length));
        }
        else if (_vp8 && !red) // a RED block header is no VP8 descriptor (RED is negotiated for audio only today)
        {
            _vp8Numbering.Apply(Buffer.AsSpan(headerLength, payload.Length));
        }
        return headerLength + payload.Length;
    }

    /// <summary>
    /// RFC 4588 §4: a retransmission on the RTX stream: its own sequence number, the original's timestamp and marker,
    /// and the original sequence number (OSN) ahead of the original payload. 0 without RTX or when it does not fit.
    /// </summary>
    public int WriteRetransmission(RtpPacket packet, ushort originalSequence, uint timestamp, OutgoingExtensions extensions)
    {
        ReadOnlySpan<byte> payload = packet.Payload;
        if (RtxPayloadType == 0 || payload.IsEmpty)
        {
            return 0;
        }
        int headerLength = WriteHeader(packet.Marker, RtxPayloadType, _rtxSequence, timestamp, RtxSsrc, extensions);
        if (!Fits(headerLength, payload.Length + 2))
        {
            return 0;
        }
        _rtxSequence++;
        BinaryPrimitives.WriteUInt16BigEndian(Buffer.AsSpan(headerLength), originalSequence);
        payload.CopyTo(Buffer.AsSpan(headerLength + 2));
        if (_vp8)
        {
            _vp8Numbering.Apply(Buffer.AsSpan(headerLength + 2, payload.Length)); // as the first time it was sent
        }
        return headerLength + 2 + payload.Length;
    }

    /// <summary>
    /// A padding-only packet on the RTX stream (RFC 3550 §5.1 P bit; RFC 4588 §4 keeps the media stream's numbering
    /// untouched) for probing the path's capacity; the receiver drops it after counting it for transport feedback.
    /// </summary>
    public int WritePadding(int paddingBytes, uint timestamp, OutgoingExtensions extensions)
    {
        if (RtxPayloadType == 0)
        {
            return 0;
        }
        paddingBytes = Math.Clamp(paddingBytes, 1, MaxPaddingBytes);
        int headerLength = WriteHeader(false, RtxPayloadType, _rtxSequence, timestamp, RtxSsrc, extensions);
        if (!Fits(headerLength, paddingBytes))
        {
            return 0;
        }
        _rtxSequence++;
        Buffer[0] |= 0x20;
        Span<byte> padding = Buffer.AsSpan(headerLength, paddingBytes);
        padding.Clear();
        padding[^1] = (byte)paddingBytes;
        return headerLength + paddingBytes;
    }

    /// <summary>
    /// A one-byte padding packet on the media stream (RFC 3550 §5.1: P bit, the last byte counts the padding)
    /// standing in for a publisher's padding probe, so the subscriber's sequence numbers stay contiguous.
    /// </summary>
    public int WriteSequencePadding(ushort sequence, uint timestamp, OutgoingExtensions extensions)
    {
        int headerLength = WriteHeader(false, PayloadType, sequence, timestamp, Ssrc, extensions);
        if (!Fits(headerLength, 1))
        {
            return 0;
        }
        Buffer[0] |= 0x20;
        Buffer[headerLength] = 1;
        return headerLength + 1;
    }

    private int WriteHeader(bool marker, byte payloadType, ushort sequence, uint timestamp, uint ssrc,
        OutgoingExtensions extensions)
    {
        int length = RtpHeaderWriter.Write(Buffer, marker, payloadType, sequence, timestamp, ssrc);
        if (extensions.TransportCcId == 0 && extensions.PlayoutDelayId == 0)
        {
            return length;
        }
        var writer = new RtpExtensionWriter(Buffer, length);
        if (extensions.TransportCcId != 0)
        {
            TransportSequenceNumber.TryReserve(ref writer, extensions.TransportCcId);
        }
        if (extensions.PlayoutDelayId != 0)
        {
            Span<byte> delay = stackalloc byte[PlayoutDelay.Length];
            PlayoutDelay.Write(delay, extensions.PlayoutDelayMilliseconds, OutgoingExtensions.MaxPlayoutDelayMilliseconds);
            writer.TryAdd(extensions.PlayoutDelayId, delay);
        }
        return writer.End();
    }

    private bool Fits(int headerLength, int payloadLength) =>
        headerLength > 0 && headerLength + payloadLength + Consumer.ProtectionHeadroom <= Buffer.Length;

    /// <summary>RFC 2198 §3: each block header names its payload type; give them the subscriber's number.</summary>
    private void RewriteRedBlockTypes(Span<byte> red)
    {
        int offset = 0;
        while (offset < red.Length)
        {
            bool more = (red[offset] & 0x80) != 0;
            if ((red[offset] & 0x7F) == _producer.Codec.PayloadType)
            {
                red[offset] = (byte)((red[offset] & 0x80) | PayloadType);
            }
            if (!more)
            {
                return;
            }
            offset += 4;
        }
    }
}
