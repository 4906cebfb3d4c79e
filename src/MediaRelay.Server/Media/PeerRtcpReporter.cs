using System.Text;
using MediaRelay.Rtp.Rtcp;
using MediaRelay.Server.Diagnostics;
using MediaRelay.Sfu;
using MediaRelay.Sfu.Rtcp;

namespace MediaRelay.Server.Media;

/// <summary>
/// The server's own RTCP on each hop (RFC 3550 §6.4, RFC 8108 spirit): toward a publisher, receiver reports for
/// every layer it sends plus a REMB (draft-alvestrand-rmcat-remb) bounding its send rate; toward a subscriber, a
/// sender report + SDES CNAME per consumer so its receiver can compute round-trip time and sync. Runs on the media
/// loop's tick; writes into the peer's scratch buffer; allocation-free.
/// </summary>
internal sealed class PeerRtcpReporter
{
    private const int MaxReportBlocks = 31; // RFC 3550 §6.4.2: the 5-bit report count
    private static readonly byte[] Cname = Encoding.ASCII.GetBytes("mediarelay");

    private readonly WebRtcPeer _peer;
    private readonly uint _senderSsrc;
    private readonly ulong _maxIncomingBitrate;
    private readonly RtcpIntervalTimer _timer;
    private readonly byte[] _buffer = GC.AllocateUninitializedArray<byte>(1400, pinned: true);

    public PeerRtcpReporter(WebRtcPeer peer, uint senderSsrc, ulong maxIncomingBitrate, Random random)
    {
        _peer = peer;
        _senderSsrc = senderSsrc;
        _maxIncomingBitrate = maxIncomingBitrate;
        _timer = new RtcpIntervalTimer(RtcpIntervalTimer.DefaultVideoInterval, random);
    }

    public void OnTick(long now)
    {
        if (!_timer.IsDue(now))
        {
            return;
        }
        _timer.Reset(now);
        PeerMediaTable media = _peer.Media;
        if (media.Producers.Length > 0)
        {
            SendReceiverReport(media, now);
        }
        ulong ntpNow = NtpTime.FromDateTime(DateTime.UtcNow);
        foreach (Consumer consumer in media.Consumers)
        {
            int length = consumer.SendStatistics.WriteSenderReport(_buffer, consumer.Ssrc, ntpNow, now,
                consumer.ClockRate, Cname);
            if (length > 0)
            {
                _peer.SendRtcp(_buffer, length);
            }
        }
    }

    private void SendReceiverReport(PeerMediaTable media, long now)
    {
        Span<RtcpReportBlock> blocks = stackalloc RtcpReportBlock[MaxReportBlocks];
        Span<uint> ssrcs = stackalloc uint[MaxReportBlocks];
        int count = 0;
        foreach (Producer producer in media.Producers)
        {
            foreach (ProducerLayer layer in producer.Layers)
            {
                if (layer.Ssrc == 0 || count == MaxReportBlocks || layer.Packets == 0)
                {
                    continue;
                }
                blocks[count] = layer.Statistics.BuildReportBlock(layer.Ssrc, now);
                LinkMetrics.OnPublisherReport(blocks[count], producer.Codec.ClockRate);
                ssrcs[count] = layer.Ssrc;
                count++;
            }
        }
        if (count == 0)
        {
            return;
        }
        int length = RtcpReportWriter.WriteReceiverReport(_buffer, _senderSsrc, blocks[..count], Cname);
        if (length == 0)
        {
            return;
        }
        // Until the server estimates each uplink itself (transport-cc), the publisher is told the most it may send;
        // its own loss-based controller, fed by the reports above, works below that ceiling.
        length += RtcpRemb.Write(_buffer.AsSpan(length), _senderSsrc, _maxIncomingBitrate, ssrcs[..count]);
        _peer.SendRtcp(_buffer, length);
    }

    /// <summary>A round-trip time a subscriber's receiver report revealed (RFC 3550 §6.4.1), for metrics and NACK.</summary>
    public static void OnReceiverReportBlock(Consumer consumer, RtcpReportBlock block)
    {
        bool measured = consumer.SendStatistics.TryComputeRoundTrip(block, NtpTime.FromDateTime(DateTime.UtcNow), out TimeSpan roundTrip);
        LinkMetrics.OnSubscriberReport(block, consumer.ClockRate, measured ? roundTrip : null);
    }
}
