using MediaRelay.Sdp;
using MediaRelay.Server.Media;
using MediaRelay.Server.Rooms;
using MediaRelay.Sfu;

namespace MediaRelay.Server.Negotiation;

/// <summary>Answering the m-sections a page receives on: each is bound to a consumer of the producer it asked for.</summary>
public sealed partial class OfferAnswerer
{
    private bool AnswerSubscribe(Participant participant, MediaDescription m, MediaDescription a, string producerId,
        Consumer? existing, OfferResult plan)
    {
        if (!participant.Room.Router.TryGetProducer(producerId, out Producer producer) || producer.IsClosed
            || producer.ParticipantId == participant.Id
            || (producer.Kind == MediaKind.Audio ? "audio" : "video") != m.Kind)
        {
            if (existing is not null)
            {
                plan.ClosedConsumers.Add(existing);
            }
            Diagnostics.MediaMetrics.SignalingError("unknown-producer");
            return false;
        }
        SdpRtpMap? codec = CodecSelector.SelectForProducer(m, producer.Codec);
        if (codec is null)
        {
            if (existing is not null)
            {
                plan.ClosedConsumers.Add(existing);
            }
            return false;
        }
        a.Direction = SdpDirection.SendOnly;
        bool transportCc = AcceptTransportCc(m, codec, a, plan);
        if (m.Kind == "video")
        {
            AcceptPlayoutDelay(m, a, plan);
        }
        var answered = new SdpRtpMap(codec.PayloadType, codec.EncodingName, codec.ClockRate, codec.Channels, codec.Fmtp);
        if (m.Kind == "video")
        {
            answered.RtcpFeedback.AddRange(SubscriberFeedback.Where(f => codec.RtcpFeedback.Contains(f)));
        }
        if (transportCc)
        {
            answered.RtcpFeedback.Add(TransportCcFeedback);
        }
        SdpRtpMap? red = producer.RedPayloadType != 0 ? CodecSelector.SelectRedFor(m, codec) : null;
        byte redPayloadType = (byte)(red?.PayloadType ?? 0);
        if (red is not null)
        {
            a.AddRtpMap(new SdpRtpMap(red.PayloadType, red.EncodingName, red.ClockRate, red.Channels, red.Fmtp));
        }
        a.AddRtpMap(answered);
        // RFC 4588 §8.6: retransmissions (and padding probes) on their own SSRC and payload type.
        SdpRtpMap? rtx = m.Kind == "video" ? CodecSelector.SelectRtxFor(m, codec) : null;
        byte rtxPayloadType = (byte)(rtx?.PayloadType ?? 0);
        if (rtx is not null)
        {
            a.AddRtpMap(new SdpRtpMap(rtx.PayloadType, rtx.EncodingName, rtx.ClockRate, null, rtx.Fmtp));
        }

        uint ssrc, rtxSsrc;
        if (existing is not null && existing.Producer == producer && existing.PayloadType == codec.PayloadType
            && existing.RedPayloadType == redPayloadType && existing.RtxPayloadType == rtxPayloadType)
        {
            ssrc = existing.Ssrc;
            rtxSsrc = existing.RtxSsrc;
        }
        else
        {
            if (existing is not null)
            {
                plan.ClosedConsumers.Add(existing);
            }
            ssrc = (uint)Random.Shared.NextInt64(1, uint.MaxValue);
            rtxSsrc = rtx is null ? 0 : (uint)Random.Shared.NextInt64(1, uint.MaxValue);
            plan.NewConsumers.Add(new PlannedConsumer(m.Mid!, producer, ssrc, (byte)codec.PayloadType, redPayloadType,
                rtxSsrc, rtxPayloadType));
        }
        string stream = producer.ParticipantId;
        a.Msid = new SdpMsid(stream, producer.Id);
        if (rtxSsrc != 0)
        {
            a.AddSsrcGroup(new SdpSsrcGroup(SdpSsrcGroup.Fid, [ssrc, rtxSsrc]));
        }
        foreach (uint s in rtxSsrc != 0 ? new[] { ssrc, rtxSsrc } : [ssrc])
        {
            a.AddSsrc(new SdpSsrc(s, "cname", stream));
            a.AddSsrc(new SdpSsrc(s, "msid", stream + " " + producer.Id));
        }
        return true;
    }

    /// <summary>
    /// The playout-delay extension on video we send: lets the server ask the receiver to hold frames long enough
    /// for repairs on long lossy links (see RepairDelayPolicy).
    /// </summary>
    private static void AcceptPlayoutDelay(MediaDescription m, MediaDescription a, OfferResult plan)
    {
        SdpExtMap? ext = m.GetExtMaps().FirstOrDefault(e => e.Uri == SdpExtMap.PlayoutDelayUri);
        if (ext is null || plan.Extensions.PlayoutDelay != 0 && plan.Extensions.PlayoutDelay != ext.Id)
        {
            return;
        }
        a.AddExtMap(new SdpExtMap(ext.Id, ext.Uri));
        plan.Extensions = plan.Extensions with { PlayoutDelay = ext.Id };
    }

    /// <summary>
    /// Transport-wide congestion control (draft-holmer-rmcat-transport-wide-cc-extensions-01 §4): accepted when the
    /// section offers both the header extension and the transport-cc feedback for the codec. One sequence space per
    /// transport, so every bundled section shares the id.
    /// </summary>
    private static bool AcceptTransportCc(MediaDescription m, SdpRtpMap codec, MediaDescription a, OfferResult plan)
    {
        SdpExtMap? ext = m.GetExtMaps().FirstOrDefault(e => e.Uri == SdpExtMap.TransportWideCcUri);
        if (ext is null || !codec.RtcpFeedback.Contains(TransportCcFeedback)
            || plan.Extensions.TransportCc != 0 && plan.Extensions.TransportCc != ext.Id)
        {
            return false;
        }
        a.AddExtMap(new SdpExtMap(ext.Id, ext.Uri));
        plan.Extensions = plan.Extensions with { TransportCc = ext.Id };
        return true;
    }
}
