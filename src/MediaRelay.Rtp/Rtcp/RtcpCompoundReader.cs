namespace MediaRelay.Rtp.Rtcp;

/// <summary>
/// Iterates the packets of a compound RTCP packet (RFC 3550 §6.1 and the validity checks of §A.2,
/// https://www.rfc-editor.org/rfc/rfc3550#appendix-A.2). Never throws: on the first bad packet (wrong version,
/// length beyond the buffer, bad padding, too short for its type, or an empty datagram) it stops and sets
/// <see cref="IsMalformed"/>. Packets yielded before that point were valid.
/// </summary>
public ref struct RtcpCompoundReader
{
    private readonly Span<byte> _buffer;
    private int _offset;
    private bool _malformed;

    public RtcpCompoundReader(Span<byte> buffer)
    {
        _buffer = buffer;
        _offset = 0;
        _malformed = buffer.IsEmpty;
    }

    public readonly bool IsMalformed => _malformed;

    /// <summary>Bytes consumed so far.</summary>
    public readonly int Offset => _offset;

    public bool TryReadNext(out RtcpPacketView packet)
    {
        packet = default;
        if (_malformed || _offset >= _buffer.Length)
        {
            return false;
        }

        Span<byte> rest = _buffer.Slice(_offset);
        if (!RtcpHeader.TryGetBounds(rest, out int packetLength, out int contentLength)
            || contentLength - RtcpHeader.Size < MinimumBodyLength(rest[1], rest[0] & 0x1F))
        {
            _malformed = true;
            return false;
        }

        packet = new RtcpPacketView(rest.Slice(0, packetLength), contentLength);
        _offset += packetLength;
        return true;
    }

    /// <summary>Smallest body (after the header, padding excluded) each known type can have.</summary>
    private static int MinimumBodyLength(byte packetType, int count) => (RtcpPacketType)packetType switch
    {
        RtcpPacketType.SenderReport => 24 + (count * RtcpReportBlock.Size),
        RtcpPacketType.ReceiverReport => 4 + (count * RtcpReportBlock.Size),
        RtcpPacketType.SourceDescription => count * 8,
        RtcpPacketType.Bye => count * 4,
        RtcpPacketType.App => 8,
        RtcpPacketType.TransportFeedback or RtcpPacketType.PayloadFeedback => 8,
        _ => 0,
    };
}
