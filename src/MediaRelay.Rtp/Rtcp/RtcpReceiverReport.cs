using System.Buffers.Binary;

namespace MediaRelay.Rtp.Rtcp;

/// <summary>
/// Receiver report, PT=201 (RFC 3550 §6.4.2, https://www.rfc-editor.org/rfc/rfc3550#section-6.4.2):
/// header, SSRC of the packet sender, RC report blocks.
/// </summary>
public readonly ref struct RtcpReceiverReport
{
    /// <summary>Length without report blocks.</summary>
    public const int MinimumLength = 8;

    private readonly Span<byte> _buffer;

    private RtcpReceiverReport(Span<byte> buffer) => _buffer = buffer;

    public static bool TryParse(Span<byte> buffer, out RtcpReceiverReport report)
    {
        report = default;
        if (buffer.Length < 1
            || !RtcpHeader.TryGetTyped(buffer, RtcpPacketType.ReceiverReport, -1,
                MinimumLength + ((buffer[0] & 0x1F) * RtcpReportBlock.Size), out Span<byte> packet, out _))
        {
            return false;
        }
        report = new RtcpReceiverReport(packet);
        return true;
    }

    public Span<byte> Buffer => _buffer;

    public uint Ssrc
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(4));
        set => BinaryPrimitives.WriteUInt32BigEndian(_buffer.Slice(4), value);
    }

    public int ReportCount => _buffer[0] & 0x1F;

    public RtcpReportBlock GetReportBlock(int index)
    {
        if ((uint)index >= (uint)ReportCount)
        {
            Core.ThrowHelper.ThrowArgument("Report block index out of range.", nameof(index));
        }
        RtcpReportBlock.TryRead(_buffer.Slice(MinimumLength + (index * RtcpReportBlock.Size)), out var block);
        return block;
    }

    public static int GetLength(int reportCount) => MinimumLength + (reportCount * RtcpReportBlock.Size);

    /// <summary>Writes an RR with up to 31 report blocks; returns the bytes written, or 0 when it does not fit.</summary>
    public static int Write(Span<byte> destination, uint ssrc, ReadOnlySpan<RtcpReportBlock> reportBlocks = default)
    {
        int length = GetLength(reportBlocks.Length);
        if (destination.Length < length
            || !RtcpReportBlock.TryWriteAll(destination.Slice(MinimumLength), reportBlocks))
        {
            return 0;
        }
        RtcpHeader.Write(destination, reportBlocks.Length, RtcpPacketType.ReceiverReport, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4), ssrc);
        return length;
    }
}
