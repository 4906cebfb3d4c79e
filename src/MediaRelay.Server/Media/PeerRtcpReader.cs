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
    public static void Handle(WebRtcPeer peer, Span<byte> compound, long arrival, BadInputLog badInput)
    {
        var reader = new RtcpCompoundReader(compound);
        while (reader.TryReadNext(out RtcpPacketView packet))
        {
            switch (packet.PacketType)
            {
                case RtcpPacketType.SenderReport:
                    OnSenderReport(peer, packet.Buffer, arrival, badInput);
                    break;
                case RtcpPacketType.ReceiverReport:
                    OnReceiverReport(peer, packet.Buffer, badInput);
                    break;
                case RtcpPacketType.TransportFeedback when packet.Count == RtcpNack.Format:
                    OnNack(peer, packet.Buffer, arrival, badInput);
                    break;
                case RtcpPacketType.TransportFeedback when packet.Count == RtcpTransportFeedback.Format:
                    if (peer.SendPath.OnFeedback(packet.Buffer, arrival))
                    {
                        MediaMetrics.TransportFeedbackReceived();
                    }
                    else
                    {
                        badInput.Drop(DropReason.RtcpMalformed);
                    }
                    break;
                case RtcpPacketType.PayloadFeedback when packet.Count == RtcpPli.Format:
                    if (RtcpPli.TryParse(packet.Buffer, out RtcpPli pli))
                    {
                        MediaMetrics.KeyFrameRequestReceived(KeyFrameRequestType.Pli);
                        RequestKeyFrame(peer, pli.MediaSsrc, badInput);
                    }
                    else
                    {
                        badInput.Drop(DropReason.RtcpMalformed);
                    }
                    break;
                case RtcpPacketType.PayloadFeedback when packet.Count == RtcpFir.Format:
                    // RFC 5104 §4.3.1.1: the SSRCs to refresh are in the FCI entries; the media SSRC is unused.
                    if (RtcpFir.TryParse(packet.Buffer, out RtcpFir fir))
                    {
                        MediaMetrics.KeyFrameRequestReceived(KeyFrameRequestType.Fir);
                        for (int i = 0; i < fir.EntryCount; i++)
                        {
                            RequestKeyFrame(peer, fir.GetEntrySsrc(i), badInput);
                        }
                    }
                    else
                    {
                        badInput.Drop(DropReason.RtcpMalformed);
                    }
                    break;
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
        ProducerLayer? layer = peer.Media.FindLayer(report.Ssrc, out Producer? producer);
        if (layer is null)
        {
            badInput.Drop(DropReason.RtcpUnknownSsrc);
            return;
        }
        layer.Statistics.OnSenderReport(report.NtpTimestamp, arrival);
        producer!.OnSenderReport(layer.Index, report.NtpTimestamp, report.RtpTimestamp, arrival);
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
        int asked = 0;
        for (int i = 0; i < nack.PairCount; i++)
        {
            asked += 1 + System.Numerics.BitOperations.PopCount(nack.GetBitmask(i));
        }
        MediaMetrics.NackReceived(asked);
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
