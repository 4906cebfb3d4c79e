using System.Buffers.Binary;

namespace MediaRelay.Rtp.Rtcp;

/// <summary>
/// Sender report, PT=200 (RFC 3550 §6.4.1, https://www.rfc-editor.org/rfc/rfc3550#section-6.4.1):
/// header, sender SSRC, NTP timestamp (64), RTP timestamp, sender's packet count, octet count, RC report blocks.
/// </summary>
public readonly ref struct RtcpSenderReport
{
    /// <summary>Length without report blocks.</summary>
    public const int MinimumLength = 28;

    private readonly Span<byte> _buffer;

    private RtcpSenderReport(Span<byte> buffer) => _buffer = buffer;

    /// <summary>Accepts one SR at the start of <paramref name="buffer"/> (e.g. <see cref="RtcpPacketView.Buffer"/>).</summary>
    public static bool TryParse(Span<byte> buffer, out RtcpSenderReport report)
    {
        report = default;
        if (buffer.Length < 1
            || !RtcpHeader.TryGetTyped(buffer, RtcpPacketType.SenderReport, -1,
                MinimumLength + ((buffer[0] & 0x1F) * RtcpReportBlock.Size), out Span<byte> packet, out _))
        {
            return false;
        }
        report = new RtcpSenderReport(packet);
        return true;
    }

    public Span<byte> Buffer => _buffer;

    public uint Ssrc
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(4));
        set => BinaryPrimitives.WriteUInt32BigEndian(_buffer.Slice(4), value);
    }

    /// <summary>64-bit NTP timestamp (RFC 3550 §4); see <see cref="NtpTime"/>.</summary>
    public ulong NtpTimestamp => BinaryPrimitives.ReadUInt64BigEndian(_buffer.Slice(8));

    public uint RtpTimestamp => BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(16));

    public uint PacketCount => BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(20));

    public uint OctetCount => BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(24));

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

    /// <summary>Writes an SR with up to 31 report blocks; returns the bytes written, or 0 when it does not fit.</summary>
    public static int Write(
        Span<byte> destination, uint ssrc, ulong ntpTimestamp, uint rtpTimestamp, uint packetCount, uint octetCount,
        ReadOnlySpan<RtcpReportBlock> reportBlocks = default)
    {
        int length = GetLength(reportBlocks.Length);
        if (destination.Length < length
            || !RtcpReportBlock.TryWriteAll(destination.Slice(MinimumLength), reportBlocks))
        {
            return 0;
        }
        RtcpHeader.Write(destination, reportBlocks.Length, RtcpPacketType.SenderReport, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4), ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(destination.Slice(8), ntpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(16), rtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(20), packetCount);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(24), octetCount);
        return length;
    }
}
