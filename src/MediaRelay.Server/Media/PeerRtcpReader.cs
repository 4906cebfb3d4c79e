using System.Buffers.Binary;
using MediaRelay.Rtp.Rtcp;
using MediaRelay.Server.Diagnostics;
using MediaRelay.Sfu;

namespace MediaRelay.Server.Media;

/// <summary>
/// Handles a decrypted RTCP compound packet from a peer: keyframe requests from a subscriber are translated to the
/// publisher of the consumer they name; a publisher's sender reports feed our receiver reports (LSR/DLSR); a
/// subscriber's receiver reports give the round-trip time of its consumers. Malformed input is counted.
/// </summary>
internal static class PeerRtcpReader
{
    private const byte SenderReport = 200;            // RFC 3550 §6.4.1
    private const byte ReceiverReport = 201;          // RFC 3550 §6.4.2
    private const byte TransportFeedback = 205;       // RFC 4585 §6.1 RTPFB
    private const byte PayloadSpecificFeedback = 206; // RFC 4585 §6.1 PSFB
    private const byte FormatPli = 1;                 // RFC 4585 §6.3.1
    private const byte FormatFir = 4;                 // RFC 5104 §4.3.1

    public static void Handle(WebRtcPeer peer, Span<byte> compound, long arrival, BadInputLog badInput)
    {
        var reader = new RtcpCompoundReader(compound);
        while (reader.TryReadNext(out RtcpPacketView packet))
        {
            byte type = (byte)packet.PacketType;
            if (type == SenderReport)
            {
                OnSenderReport(peer, packet.Buffer, arrival, badInput);
                continue;
            }
            if (type == ReceiverReport)
            {
                OnReceiverReport(peer, packet.Buffer, badInput);
                continue;
            }
            if (type == TransportFeedback && packet.Count == RtcpNack.Format)
            {
                OnNack(peer, packet.Buffer, arrival, badInput);
                continue;
            }
            if (type != PayloadSpecificFeedback)
            {
                continue;
            }
            ReadOnlySpan<byte> data = packet.Buffer; // the reader guarantees ≥ 12 bytes for feedback packets
            if (packet.Count == FormatPli)
            {
                RequestKeyFrame(peer, BinaryPrimitives.ReadUInt32BigEndian(data[8..]), badInput);
            }
            else if (packet.Count == FormatFir)
            {
                // RFC 5104 §4.3.1.1: FCI entries of 8 bytes, SSRC first; the media SSRC field is unused.
                for (int offset = 12; offset + 8 <= data.Length; offset += 8)
                {
                    RequestKeyFrame(peer, BinaryPrimitives.ReadUInt32BigEndian(data[offset..]), badInput);
                }
            }
        }
        if (reader.IsMalformed)
        {
            badInput.Drop(DropReason.RtcpMalformed);
        }
    }

    private static void OnSenderReport(WebRtcPeer peer, Span<byte> buffer, long arrival, BadInputLog badInput)
    {
        if (!RtcpSenderReport.TryParse(buffer, out RtcpSenderReport report))
        {
            badInput.Drop(DropReason.RtcpMalformed);
            return;
        }
        ProducerLayer? layer = peer.Media.FindLayer(report.Ssrc);
        if (layer is null)
        {
            badInput.Drop(DropReason.RtcpUnknownSsrc);
            return;
        }
        layer.Statistics.OnSenderReport(report.NtpTimestamp, arrival);
        for (int i = 0; i < report.ReportCount; i++)
        {
            OnReportBlock(peer, report.GetReportBlock(i));
        }
    }

    private static void OnNack(WebRtcPeer peer, Span<byte> buffer, long arrival, BadInputLog badInput)
    {
        if (!RtcpNack.TryParse(buffer, out RtcpNack nack))
        {
            badInput.Drop(DropReason.RtcpMalformed);
            return;
        }
        Consumer? consumer = peer.Media.FindConsumer(nack.MediaSsrc);
        if (consumer is null)
        {
            badInput.Drop(DropReason.RtcpUnknownSsrc);
            return;
        }
        long before = consumer.Retransmitted;
        consumer.OnNack(nack, arrival);
        MediaMetrics.Retransmitted(consumer.Retransmitted - before);
    }

    private static void OnReceiverReport(WebRtcPeer peer, Span<byte> buffer, BadInputLog badInput)
    {
        if (!RtcpReceiverReport.TryParse(buffer, out RtcpReceiverReport report))
        {
            badInput.Drop(DropReason.RtcpMalformed);
            return;
        }
        for (int i = 0; i < report.ReportCount; i++)
        {
            OnReportBlock(peer, report.GetReportBlock(i));
        }
    }

    private static void OnReportBlock(WebRtcPeer peer, RtcpReportBlock block)
    {
        // Blocks about streams we do not send (a browser reports on everything it receives) are not an error.
        Consumer? consumer = peer.Media.FindConsumer(block.Ssrc);
        if (consumer is not null)
        {
            PeerRtcpReporter.OnReceiverReportBlock(consumer, block);
        }
    }

    private static void RequestKeyFrame(WebRtcPeer peer, uint mediaSsrc, BadInputLog badInput)
    {
        Consumer? consumer = peer.Media.FindConsumer(mediaSsrc);
        if (consumer is null)
        {
            badInput.Drop(DropReason.RtcpUnknownSsrc);
            return;
        }
        consumer.OnPictureLoss();
    }
}
