using System.Buffers.Binary;

namespace MediaRelay.Rtp.Rtcp;

/// <summary>
/// One 24-byte reception report block of an SR or RR (RFC 3550 §6.4.1, https://www.rfc-editor.org/rfc/rfc3550#section-6.4.1):
/// <code>
/// | SSRC_n (source identifier)                                    |
/// | fraction lost (8) | cumulative number of packets lost (24, signed) |
/// | extended highest sequence number received                     |
/// | interarrival jitter                                           |
/// | last SR (LSR, middle 32 bits of the NTP timestamp)            |
/// | delay since last SR (DLSR, 1/65536 s)                         |
/// </code>
/// </summary>
public readonly record struct RtcpReportBlock(
    uint Ssrc,
    byte FractionLost,
    int CumulativeLost,
    uint ExtendedHighestSequenceNumber,
    uint Jitter,
    uint LastSenderReport,
    uint DelaySinceLastSenderReport)
{
    public const int Size = 24;

    /// <summary>Largest and smallest values the signed 24-bit cumulative-lost field can carry.</summary>
    public const int MaxCumulativeLost = 0x7FFFFF;
    public const int MinCumulativeLost = -0x800000;

    public static bool TryRead(ReadOnlySpan<byte> source, out RtcpReportBlock block)
    {
        if (source.Length < Size)
        {
            block = default;
            return false;
        }
        uint word = BinaryPrimitives.ReadUInt32BigEndian(source.Slice(4));
        // Sign-extend the low 24 bits.
        int lost = (int)(word << 8) >> 8;
        block = new RtcpReportBlock(
            BinaryPrimitives.ReadUInt32BigEndian(source),
            (byte)(word >> 24),
            lost,
            BinaryPrimitives.ReadUInt32BigEndian(source.Slice(8)),
            BinaryPrimitives.ReadUInt32BigEndian(source.Slice(12)),
            BinaryPrimitives.ReadUInt32BigEndian(source.Slice(16)),
            BinaryPrimitives.ReadUInt32BigEndian(source.Slice(20)));
        return true;
    }

    /// <summary>Writes the block (cumulative lost clamped to 24 bits); returns 24, or 0 when too small.</summary>
    public int Write(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            return 0;
        }
        int lost = Math.Clamp(CumulativeLost, MinCumulativeLost, MaxCumulativeLost);
        BinaryPrimitives.WriteUInt32BigEndian(destination, Ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4), ((uint)FractionLost << 24) | ((uint)lost & 0xFFFFFF));
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(8), ExtendedHighestSequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(12), Jitter);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(16), LastSenderReport);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(20), DelaySinceLastSenderReport);
        return Size;
    }

    /// <summary>Writes up to 31 blocks back to back; false when they do not fit or there are too many.</summary>
    internal static bool TryWriteAll(Span<byte> destination, ReadOnlySpan<RtcpReportBlock> blocks)
    {
        if (blocks.Length > 31 || destination.Length < blocks.Length * Size)
        {
            return false;
        }
        for (int i = 0; i < blocks.Length; i++)
        {
            blocks[i].Write(destination.Slice(i * Size));
        }
        return true;
    }
}
