using MediaRelay.Rtp.Rtcp;

namespace MediaRelay.Sfu.Rtcp;

/// <summary>
/// Writes the compound receiver report the SFU sends toward a publisher: RR first, then SDES with the CNAME
/// (RFC 3550 §6.1, https://www.rfc-editor.org/rfc/rfc3550#section-6.1). The sender-side counterpart is
/// <see cref="RtpSendStatistics.WriteSenderReport"/>. Allocation-free.
/// </summary>
public static class RtcpReportWriter
{
    /// <summary>Length of an RR with <paramref name="blockCount"/> blocks plus an SDES CNAME of <paramref name="cnameLength"/> bytes.</summary>
    public static int GetReceiverReportLength(int blockCount, int cnameLength) =>
        RtcpReceiverReport.GetLength(blockCount) + RtcpSdes.GetCnameLength(cnameLength);

    /// <summary>
    /// Writes RR(<paramref name="ssrc"/>, <paramref name="blocks"/>) + SDES CNAME. Returns the total length, or 0
    /// (nothing written) when it does not fit, there are more than 31 blocks or the CNAME exceeds 255 bytes.
    /// </summary>
    public static int WriteReceiverReport(Span<byte> destination, uint ssrc, ReadOnlySpan<RtcpReportBlock> blocks, ReadOnlySpan<byte> cname)
    {
        if (blocks.Length > 31 || cname.Length > 255
            || destination.Length < GetReceiverReportLength(blocks.Length, cname.Length))
        {
            return 0;
        }
        int length = RtcpReceiverReport.Write(destination, ssrc, blocks);
        return length + RtcpSdes.WriteCname(destination.Slice(length), ssrc, cname);
    }
}
