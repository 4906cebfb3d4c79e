using System.Buffers.Binary;

namespace MediaRelay.Rtp.Rtcp;

/// <summary>
/// Picture Loss Indication: PSFB (PT=206) FMT=1 with no FCI (RFC 4585 §6.3.1,
/// https://www.rfc-editor.org/rfc/rfc4585#section-6.3.1). Layout: header, sender SSRC, media SSRC.
/// </summary>
public readonly ref struct RtcpPli
{
    public const int Format = 1;
    public const int Length = 12;

    private readonly Span<byte> _buffer;

    private RtcpPli(Span<byte> buffer) => _buffer = buffer;

    public static bool TryParse(Span<byte> buffer, out RtcpPli pli)
    {
        pli = default;
        if (!RtcpHeader.TryGetTyped(buffer, RtcpPacketType.PayloadFeedback, Format, Length, out Span<byte> packet, out _))
        {
            return false;
        }
        pli = new RtcpPli(packet);
        return true;
    }

    public Span<byte> Buffer => _buffer;

    public uint SenderSsrc
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(4));
        set => BinaryPrimitives.WriteUInt32BigEndian(_buffer.Slice(4), value);
    }

    public uint MediaSsrc
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(8));
        set => BinaryPrimitives.WriteUInt32BigEndian(_buffer.Slice(8), value);
    }

    /// <summary>Writes a 12-byte PLI; returns 12, or 0 when it does not fit.</summary>
    public static int Write(Span<byte> destination, uint senderSsrc, uint mediaSsrc)
    {
        if (destination.Length < Length)
        {
            return 0;
        }
        RtcpHeader.Write(destination, Format, RtcpPacketType.PayloadFeedback, Length);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4), senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(8), mediaSsrc);
        return Length;
    }
}
