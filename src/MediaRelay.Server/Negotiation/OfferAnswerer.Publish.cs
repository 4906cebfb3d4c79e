using MediaRelay.Sdp;
using MediaRelay.Server.Media;
using MediaRelay.Server.Rooms;
using MediaRelay.Sfu;

namespace MediaRelay.Server.Negotiation;

/// <summary>Answering the m-sections a page sends on: each becomes a producer (answered recvonly).</summary>
public sealed partial class OfferAnswerer
{
    private bool AnswerPublish(Participant participant, MediaDescription m, MediaDescription a, Producer? existing,
        IReadOnlyDictionary<string, string> sources, OfferResult plan)
    {
        SdpRtpMap? codec = m.Kind == "audio"
            ? CodecSelector.SelectAudio(m)
            : CodecSelector.SelectVideo(m, options.Value.Media.VideoCodecs);
        if (codec is null)
        {
            if (existing is not null)
            {
                plan.ClosedProducers.Add(existing);
            }
            return false;
        }
        IReadOnlyList<string> rids = m.Kind == "video" ? SimulcastNegotiation.AcceptedLayers(m) : [];
        foreach (SdpExtMap ext in m.GetExtMaps())
        {
            bool wanted = ext.Uri == SdpExtMap.MidUri
                || (m.Kind == "audio" && ext.Uri == SdpExtMap.AudioLevelUri)
                || (rids.Count > 0 && ext.Uri is SdpExtMap.RtpStreamIdUri or SdpExtMap.RepairedRtpStreamIdUri);
            if (!wanted)
            {
                continue;
            }
            a.AddExtMap(new SdpExtMap(ext.Id, ext.Uri));
            if (ext.Uri == SdpExtMap.MidUri)
            {
                plan.Extensions = plan.Extensions with { Mid = ext.Id };
            }
            else if (ext.Uri == SdpExtMap.RtpStreamIdUri)
            {
                plan.Extensions = plan.Extensions with { Rid = ext.Id };
            }
            else if (ext.Uri == SdpExtMap.RepairedRtpStreamIdUri)
            {
                plan.Extensions = plan.Extensions with { RepairedRid = ext.Id };
            }
            else if (ext.Uri == SdpExtMap.AudioLevelUri)
            {
                plan.Extensions = plan.Extensions with { AudioLevel = ext.Id };
            }
        }
        a.Direction = SdpDirection.RecvOnly;
        bool transportCc = AcceptTransportCc(m, codec, a, plan);
        var answered = new SdpRtpMap(codec.PayloadType, codec.EncodingName, codec.ClockRate, codec.Channels,
            m.Kind == "video" && rids.Count > 0
                ? SimulcastNegotiation.WithStartBitrate(codec.Fmtp, options.Value.Media) : codec.Fmtp);
        if (m.Kind == "video")
        {
            answered.RtcpFeedback.AddRange(PublisherFeedback.Where(f => codec.RtcpFeedback.Contains(f)));
        }
        if (transportCc)
        {
            answered.RtcpFeedback.Add(TransportCcFeedback); // we send it feedback; its own estimator paces it
        }
        SdpRtpMap? red = m.Kind == "audio" ? CodecSelector.SelectRedFor(m, codec) : null;
        if (red is not null)
        {
            a.AddRtpMap(new SdpRtpMap(red.PayloadType, red.EncodingName, red.ClockRate, red.Channels, red.Fmtp)); // first: sent
        }
        a.AddRtpMap(answered);
        // RFC 4588: the publisher resends (and pads its probes) on RTX streams, so they never share the media
        // sequence the subscribers see.
        SdpRtpMap? rtx = m.Kind == "video" ? CodecSelector.SelectRtxFor(m, codec) : null;
        if (rtx is not null)
        {
            a.AddRtpMap(new SdpRtpMap(rtx.PayloadType, rtx.EncodingName, rtx.ClockRate, null, rtx.Fmtp));
        }
        if (rids.Count > 0)
        {
            // RFC 8853 §5.3: the answerer receives the streams it keeps, in the offerer's order.
            foreach (string rid in rids)
            {
                a.AddRid(new SdpRid(rid, SdpRidDirection.Recv));
            }
            a.Simulcast = new SdpSimulcast([], [.. rids.Select(r => (IReadOnlyList<SdpSimulcastStream>)[new SdpSimulcastStream(r)])]);
        }

        RtpCodec rtpCodec = CodecSelector.ToCodec(codec);
        string?[] layers = rids.Count > 0 ? [.. rids] : [null];
        byte redPayloadType = (byte)(red?.PayloadType ?? 0);
        byte rtxPayloadType = (byte)(rtx?.PayloadType ?? 0);
        if (existing is not null && existing.Codec.IsSameFormat(rtpCodec) && existing.Codec.PayloadType == rtpCodec.PayloadType
            && existing.RedPayloadType == redPayloadType && existing.RtxPayloadType == rtxPayloadType && existing.Layers.Select(l => l.Rid).SequenceEqual(layers))
        {
            return true; // unchanged publication
        }
        if (existing is not null)
        {
            plan.ClosedProducers.Add(existing);
        }
        TrackSource source = sources.TryGetValue(m.Mid!, out string? s) && s == "screen" ? TrackSource.Screen
            : m.Kind == "audio" ? TrackSource.Microphone : TrackSource.Camera;
        MediaKind kind = m.Kind == "audio" ? MediaKind.Audio : MediaKind.Video;
        string id = participant.Id + "-" + m.Mid;
        Producer producer = rids.Count > 0
            ? new Producer(id, participant.Id, kind, source, m.Mid!, rtpCodec, layers, participant.Peer)
            {
                RtxPayloadType = rtxPayloadType,
            }
            : new Producer(id, participant.Id, kind, source, m.Mid!, rtpCodec, PrimarySsrc(m), participant.Peer)
            {
                RedPayloadType = redPayloadType,
                RtxPayloadType = rtxPayloadType,
            };
        if (rids.Count == 0 && rtxPayloadType != 0)
        {
            producer.BindRtxSsrc(0, RepairSsrc(m, producer.Layers[0].Ssrc));
        }
        plan.NewProducers.Add(producer);
        return true;
    }

    /// <summary>RFC 5576 §4.2 / RFC 4588 §8.6: the FID partner of <paramref name="ssrc"/>, 0 when none is offered.</summary>
    private static uint RepairSsrc(MediaDescription m, uint ssrc)
    {
        foreach (SdpSsrcGroup g in m.GetSsrcGroups())
        {
            if (g.Semantics == SdpSsrcGroup.Fid && g.Ssrcs.Count > 1 && g.Ssrcs[0] == ssrc && ssrc != 0)
            {
                return g.Ssrcs[1];
            }
        }
        return 0;
    }

    /// <summary>The SSRC of the first media stream in the offer (RFC 5576 a=ssrc; the FID/RTX partner skipped).</summary>
    private static uint PrimarySsrc(MediaDescription m)
    {
        var repair = new HashSet<uint>();
        foreach (SdpSsrcGroup g in m.GetSsrcGroups())
        {
            if (g.Semantics == SdpSsrcGroup.Fid && g.Ssrcs.Count > 1)
            {
                repair.Add(g.Ssrcs[1]);
            }
        }
        foreach (SdpSsrc s in m.GetSsrcs())
        {
            if (!repair.Contains(s.Ssrc))
            {
                return s.Ssrc;
            }
        }
        return 0; // learned from the MID header extension on the first packet
    }
}
