using MediaRelay.Sdp;
using MediaRelay.Server.Media;
using MediaRelay.Server.Options;
using MediaRelay.Server.Rooms;
using MediaRelay.Sfu;
using Microsoft.Extensions.Options;

namespace MediaRelay.Server.Negotiation;

/// <summary>
/// Answers a page's offer (JSEP, RFC 9429 §5.3) as an ICE-lite, BUNDLE-only SFU: m-sections the page sends on
/// become producers (answered recvonly), m-sections it receives on are bound to the producer the page asked for
/// (answered sendonly with the consumer's SSRC). Nothing changes until <see cref="Commit"/> runs after the answer
/// has been sent.
/// </summary>
public sealed partial class OfferAnswerer(MediaServer media, IOptions<MediaRelayOptions> options)
{
    private static readonly string[] PublisherFeedback = ["goog-remb", "ccm fir", "nack", "nack pli"];
    private static readonly string[] SubscriberFeedback = ["ccm fir", "nack", "nack pli"];
    private const string TransportCcFeedback = "transport-cc";

    public OfferResult Answer(Participant participant, string offerText, IReadOnlyDictionary<string, string> subscriptions,
        IReadOnlyDictionary<string, string> sources)
    {
        if (!SessionDescription.TryParse(offerText, out SessionDescription? offer, out string? parseError))
        {
            return OfferResult.Fail("bad-sdp", "The offer is not valid SDP: " + parseError);
        }
        MediaDescription? first = offer.Media.FirstOrDefault(m => m.Port != 0);
        if (first is null)
        {
            return OfferResult.Fail("bad-sdp", "The offer has no active media section.");
        }
        string? ufrag = offer.GetIceUfrag(first), pwd = offer.GetIcePwd(first);
        SdpFingerprint? fingerprint = offer.GetFingerprint(first);
        if (ufrag is null || pwd is null || fingerprint is null)
        {
            return OfferResult.Fail("bad-sdp", "The offer lacks ICE credentials or a DTLS fingerprint.");
        }
        SdpSetup remoteSetup = offer.GetSetup(first) ?? SdpSetup.ActPass;
        string setup = participant.Peer.ConfigureRemote(ufrag, pwd, fingerprint.Algorithm, fingerprint.Value,
            remoteSetup == SdpSetup.Passive ? "passive" : "active");

        var answer = new SessionDescription();
        answer.Origin.SessionId = participant.SdpSessionId;
        answer.Origin.SessionVersion = participant.AnswerVersion++;
        answer.Origin.Address = media.AnnouncedEndPoint.Address.ToString();
        answer.IceLite = true;
        answer.Attributes.Add(new SdpAttribute("msid-semantic", " WMS *"));
        var result = new OfferResult();
        var bundle = new List<string>();

        foreach (MediaDescription m in offer.Media)
        {
            MediaDescription a = AnswerSection(participant, offer, m, setup, subscriptions, sources, result);
            answer.Media.Add(a);
            if (a.Port != 0 && a.Mid is not null)
            {
                bundle.Add(a.Mid);
            }
        }
        if (bundle.Count > 0)
        {
            answer.AddGroup(new SdpGroup(SdpGroup.Bundle, bundle));
        }
        result.AnswerSdp = answer.ToString();
        return result;
    }

    /// <summary>Applies an answered offer: new producers are announced, promised consumers start receiving.</summary>
    public void Commit(Participant participant, OfferResult result)
    {
        ConsultationRoom room = participant.Room;
        WebRtcPeer peer = participant.Peer;
        if (result.Extensions != PeerExtensions.None)
        {
            peer.UpdateMedia(t => t.WithExtensions(result.Extensions));
        }
        foreach (Consumer consumer in result.ClosedConsumers)
        {
            room.Router.CloseConsumer(consumer);
            peer.UpdateMedia(t => t.WithoutConsumer(consumer));
            RemoveValue(participant.ConsumedByMid, consumer);
        }
        foreach (Producer producer in result.ClosedProducers)
        {
            room.CloseProducer(producer);
            peer.UpdateMedia(t => t.WithoutProducer(producer));
            RemoveValue(participant.PublishedByMid, producer);
        }
        foreach (PlannedConsumer planned in result.NewConsumers)
        {
            if (planned.Producer.IsClosed)
            {
                continue; // the publisher left while we were answering; the page hears producerRemoved next
            }
            Consumer consumer = room.Router.CreateConsumer(planned.Producer, participant.Id + "-" + planned.Mid, participant.Id, peer,
                planned.Ssrc, planned.PayloadType, (ushort)Random.Shared.Next(0, 65536), (uint)Random.Shared.Next(),
                planned.RedPayloadType, planned.RtxSsrc, planned.RtxPayloadType);
            peer.UpdateMedia(t => t.WithConsumer(consumer));
            participant.ConsumedByMid[planned.Mid] = consumer;
        }
        foreach (Producer producer in result.NewProducers)
        {
            participant.PublishedByMid[producer.Mid] = producer;
            peer.UpdateMedia(t => t.WithProducer(producer));
            room.Router.AddProducer(producer);
        }
    }

    private MediaDescription AnswerSection(Participant participant, SessionDescription offer, MediaDescription m,
        string setup, IReadOnlyDictionary<string, string> subscriptions, IReadOnlyDictionary<string, string> sources,
        OfferResult plan)
    {
        var a = new MediaDescription(m.Kind, media.AnnouncedEndPoint.Port, m.Protocol) { Mid = m.Mid };
        string? mid = m.Mid;
        bool isMedia = m.Kind is "audio" or "video" && m.IsRtp;
        SdpDirection direction = offer.GetDirection(m);
        bool active = m.Port != 0 && isMedia && mid is not null && direction != SdpDirection.Inactive;

        participant.PublishedByMid.TryGetValue(mid ?? "", out Producer? published);
        participant.ConsumedByMid.TryGetValue(mid ?? "", out Consumer? consumed);

        if (active && direction is SdpDirection.SendOnly or SdpDirection.SendRecv)
        {
            if (consumed is not null)
            {
                plan.ClosedConsumers.Add(consumed);
            }
            if (AnswerPublish(participant, m, a, published, sources, plan))
            {
                return AddTransport(a, participant.Peer, setup);
            }
        }
        else if (active && direction == SdpDirection.RecvOnly && subscriptions.TryGetValue(mid!, out string? producerId))
        {
            if (published is not null)
            {
                plan.ClosedProducers.Add(published);
            }
            if (AnswerSubscribe(participant, m, a, producerId, consumed, plan))
            {
                return AddTransport(a, participant.Peer, setup);
            }
        }
        else
        {
            if (published is not null)
            {
                plan.ClosedProducers.Add(published);
            }
            if (consumed is not null)
            {
                plan.ClosedConsumers.Add(consumed);
            }
        }
        return Reject(m, a);
    }

    /// <summary>
    /// The transport attributes every accepted BUNDLE section repeats: ICE-lite credentials (RFC 8839 §5.4), our
    /// DTLS fingerprint and role (RFC 8122 §5, RFC 8842 §5), rtcp-mux (RFC 5761 §5.1.3) and our one host candidate.
    /// </summary>
    private MediaDescription AddTransport(MediaDescription a, WebRtcPeer peer, string setup)
    {
        var endpoint = media.AnnouncedEndPoint;
        a.Connection = SdpConnection.ForAddress(endpoint.Address.ToString());
        a.IceUfrag = peer.LocalIce.LocalUfrag;
        a.IcePwd = peer.LocalIce.LocalPassword;
        a.Fingerprint = new SdpFingerprint(peer.Certificate.FingerprintAlgorithm, peer.Certificate.Fingerprint);
        a.Setup = setup == "passive" ? SdpSetup.Passive : SdpSetup.Active;
        a.RtcpMux = true;
        a.RtcpRsize = true;
        a.AddCandidate(new SdpCandidate
        {
            Foundation = "1",
            Component = 1,
            Transport = "udp",
            Priority = 2130706431, // RFC 8445 §5.1.2.1: type preference 126 (host), local preference 65535
            Address = endpoint.Address.ToString(),
            Port = endpoint.Port,
            Type = "host",
        });
        a.EndOfCandidates = true;
        return a;
    }

    private static void RemoveValue<T>(Dictionary<string, T> map, T value) where T : class
    {
        foreach (var (key, v) in map)
        {
            if (v == value)
            {
                map.Remove(key);
                return;
            }
        }
    }

    /// <summary>JSEP §5.3.1: a rejected m-section keeps its kind, protocol and formats, with port 0.</summary>
    private static MediaDescription Reject(MediaDescription offered, MediaDescription a)
    {
        a.Port = 0;
        a.Formats.AddRange(offered.Formats);
        a.Direction = SdpDirection.Inactive;
        return a;
    }
}
