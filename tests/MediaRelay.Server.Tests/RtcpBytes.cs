using MediaRelay.Rtp.Rtcp;
using MediaRelay.Server.Diagnostics;

namespace MediaRelay.Server.Tests;

/// <summary>RTCP packets written with the project's own writers, for feeding PeerRtcpReader.</summary>
internal static class RtcpBytes
{
    /// <summary>The RTCP sender SSRC a browser picks for its own reports (any value; not one of ours).</summary>
    public const uint BrowserSsrc = 0x5EED0001;

    public static byte[] Pli(uint mediaSsrc)
    {
        var b = new byte[RtcpPli.Length];
        Assert.Equal(RtcpPli.Length, RtcpPli.Write(b, BrowserSsrc, mediaSsrc));
        return b;
    }

    public static byte[] Fir(params uint[] mediaSsrcs)
    {
        var b = new byte[RtcpFir.GetLength(mediaSsrcs.Length)];
        byte[] seq = new byte[mediaSsrcs.Length];
        Assert.Equal(b.Length, RtcpFir.Write(b, BrowserSsrc, mediaSsrcs, seq));
        return b;
    }

    public static byte[] SenderReport(uint ssrc, params uint[] reportedSsrcs)
    {
        RtcpReportBlock[] blocks = [.. reportedSsrcs.Select(Block)];
        var b = new byte[RtcpSenderReport.GetLength(blocks.Length)];
        ulong ntp = NtpTime.FromDateTime(DateTime.UtcNow);
        Assert.Equal(b.Length, RtcpSenderReport.Write(b, ssrc, ntp, 90_000, 10, 12_000, blocks));
        return b;
    }

    public static byte[] ReceiverReport(params uint[] reportedSsrcs)
    {
        RtcpReportBlock[] blocks = [.. reportedSsrcs.Select(Block)];
        var b = new byte[RtcpReceiverReport.GetLength(blocks.Length)];
        Assert.Equal(b.Length, RtcpReceiverReport.Write(b, BrowserSsrc, blocks));
        return b;
    }

    public static byte[] Compound(params byte[][] packets) => [.. packets.SelectMany(p => p)];

    private static RtcpReportBlock Block(uint ssrc) => new(ssrc, 12, 3, 70_000, 40, 0x12345678, 0x00010000);
}

/// <summary>Deltas of the process-global RTCP drop counters since construction.</summary>
internal sealed class RtcpDrops
{
    private readonly double _malformed = MediaMetrics.DroppedCount(DropReason.RtcpMalformed);
    private readonly double _unknown = MediaMetrics.DroppedCount(DropReason.RtcpUnknownSsrc);

    public double Malformed => MediaMetrics.DroppedCount(DropReason.RtcpMalformed) - _malformed;
    public double UnknownSsrc => MediaMetrics.DroppedCount(DropReason.RtcpUnknownSsrc) - _unknown;

    /// <summary>(rtcp_malformed, rtcp_unknown_ssrc) counted since construction.</summary>
    public (double Malformed, double UnknownSsrc) Delta => (Malformed, UnknownSsrc);
}
