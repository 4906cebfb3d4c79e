using MediaRelay.Sdp;
using MediaRelay.Server.Negotiation;
using MediaRelay.Server.Rooms;
using MediaRelay.Sfu;

namespace MediaRelay.Server.Tests;

/// <summary>Offer → answer → commit against the real host's media server, without a browser.</summary>
public class OfferAnswererTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private static readonly Dictionary<string, string> None = [];
    private readonly RunningHost _host = fixture.Host;

    private ConsultationRoom NewRoom() => _host.Rooms.GetOrCreate("oa-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public void Publishing_offer_is_answered_recvonly_with_one_codec_per_section()
    {
        ConsultationRoom room = NewRoom();
        Participant alice = _host.Join(room, "Alice");
        string offer = new ChromiumLikeOffer()
            .Audio("0", "sendonly", ssrc: 1111)
            .Video("1", "sendonly", ssrc: 2222, rtxSsrc: 3333)
            .DataChannel("2")
            .Av1Video("3", "sendonly", ssrc: 4444)
            .ToString();

        OfferResult result = _host.Answerer.Answer(alice, offer, None, None);

        Assert.Null(result.Error);
        SessionDescription answer = AnswerAssert.Parse(result.AnswerSdp!);
        Assert.True(answer.IceLite);
        Assert.Equal(["0", "1"], Assert.Single(answer.GetBundleGroups()).Mids);
        Assert.Equal(["0", "1", "2", "3"], answer.Media.Select(m => m.Mid));
        Assert.Equal(["audio", "video", "application", "video"], answer.Media.Select(m => m.Kind));
        AnswerAssert.AcceptedTransport(_host, alice, answer.Media[0]);
        AnswerAssert.AcceptedTransport(_host, alice, answer.Media[1]);

        MediaDescription audio = answer.Media[0];
        Assert.Equal(SdpDirection.RecvOnly, audio.Direction);
        // Opus, preceded by RFC 2198 redundancy over it (offered by Chromium): the publisher sends RED.
        Assert.Equal(["red", "opus"], audio.GetRtpMaps().Select(r => r.EncodingName));
        SdpRtpMap red = audio.GetRtpMaps()[0];
        Assert.Equal((63, "111/111"), (red.PayloadType, red.Fmtp));
        SdpRtpMap opus = audio.GetRtpMaps()[1];
        Assert.Equal((111, "opus", 48000, (int?)2), (opus.PayloadType, opus.EncodingName, opus.ClockRate, opus.Channels));
        Assert.Equal(["1", "4"], audio.GetExtMaps().Select(e => e.Id.ToString()).Order());

        MediaDescription video = answer.Media[1];
        Assert.Equal(SdpDirection.RecvOnly, video.Direction);
        // VP8 and its RFC 4588 rtx partner: the publisher resends and pads on RTX, outside the media sequence.
        Assert.Equal(["VP8", "rtx"], video.GetRtpMaps().Select(r => r.EncodingName));
        SdpRtpMap vp8 = video.GetRtpMaps()[0];
        Assert.Equal((96, "VP8"), (vp8.PayloadType, vp8.EncodingName));
        Assert.Equal((97, (int?)96), (video.GetRtpMaps()[1].PayloadType, video.GetRtpMaps()[1].AssociatedPayloadType));
        Assert.Equal(["goog-remb", "ccm fir", "nack", "nack pli", "transport-cc"], vp8.RtcpFeedback);
        Assert.Equal([3, 4], video.GetExtMaps().Select(e => e.Id).Order());
        Assert.Equal(4, result.Extensions.Mid);
        Assert.Equal(3, result.Extensions.TransportCc); // the server sends it transport-wide feedback

        AnswerAssert.Rejected(answer.Media[2]);
        AnswerAssert.Rejected(answer.Media[3]);
        Assert.Equal("UDP/DTLS/SCTP", answer.Media[2].Protocol);
        // The camera's RTX stream is known from the offer's FID group (RFC 5576 §4.2).
        Producer camera = Assert.Single(result.NewProducers, p => p.Kind == MediaKind.Video);
        Assert.Equal((2222u, 3333u, (byte)97), (camera.Layers[0].Ssrc, camera.Layers[0].RtxSsrc, camera.RtxPayloadType));
    }

    [Fact]
    public void Answer_is_valid_sdp_as_written()
    {
        ConsultationRoom room = NewRoom();
        Participant alice = _host.Join(room, "Alice");
        string offer = new ChromiumLikeOffer().Audio("0", "sendonly", ssrc: 1111).ToString();

        OfferResult first = _host.Answerer.Answer(alice, offer, None, None);
        OfferResult second = _host.Answerer.Answer(alice, offer, None, None);

        // RFC 8866 §5.2: sess-id and sess-version are digit strings (fails today: the session id is hexadecimal).
        Assert.True(SessionDescription.TryParse(first.AnswerSdp, out SessionDescription? parsed, out string? error), error);
        Assert.Matches("^[0-9]+$", parsed.Origin.SessionId);
        SessionDescription next = SessionDescription.Parse(second.AnswerSdp!);
        Assert.Equal(parsed.Origin.SessionId, next.Origin.SessionId);
        Assert.Equal(parsed.Origin.SessionVersion + 1, next.Origin.SessionVersion);
    }

    [Fact]
    public void Answer_version_increments_and_session_id_is_stable()
    {
        ConsultationRoom room = NewRoom();
        Participant alice = _host.Join(room, "Alice");
        string offer = new ChromiumLikeOffer().Audio("0", "sendonly", ssrc: 1111).ToString();

        string first = _host.Answerer.Answer(alice, offer, None, None).AnswerSdp!;
        string second = _host.Answerer.Answer(alice, offer, None, None).AnswerSdp!;

        string[] o1 = first.Split("\r\n")[1].Split(' '), o2 = second.Split("\r\n")[1].Split(' ');
        Assert.Equal(o1[1], o2[1]);
        Assert.Equal(ulong.Parse(o1[2]) + 1, ulong.Parse(o2[2]));
        Assert.Equal(["IN", "IP4", "127.0.0.1"], o1[3..]);
    }

    [Fact]
    public void Commit_adds_the_producers_to_the_router()
    {
        ConsultationRoom room = NewRoom();
        Participant alice = _host.Join(room, "Alice");
        string offer = new ChromiumLikeOffer().Audio("0", "sendonly", ssrc: 1111).Video("1", "sendonly", ssrc: 2222, rtxSsrc: 3333).ToString();

        OfferResult result = _host.Answerer.Answer(alice, offer, None, None);
        Assert.Empty(room.Router.Producers); // nothing changes before the answer is sent
        _host.Answerer.Commit(alice, result);

        Assert.True(room.Router.TryGetProducer(alice.Id + "-0", out Producer audio));
        Assert.Equal((MediaKind.Audio, TrackSource.Microphone, 1111u, "opus"), (audio.Kind, audio.Source, audio.Ssrc, audio.Codec.Name));
        Assert.True(room.Router.TryGetProducer(alice.Id + "-1", out Producer video));
        Assert.Equal((MediaKind.Video, TrackSource.Camera, 2222u, "VP8"), (video.Kind, video.Source, video.Ssrc, video.Codec.Name));
        Assert.Equal(2, room.Router.Producers.Count);
    }

    [Fact]
    public void Screen_source_and_ssrc_learned_later()
    {
        ConsultationRoom room = NewRoom();
        Participant alice = _host.Join(room, "Alice");
        string offer = new ChromiumLikeOffer().Video("0", "sendonly").ToString();

        OfferResult result = _host.Answerer.Answer(alice, offer, None, new Dictionary<string, string> { ["0"] = "screen" });
        _host.Answerer.Commit(alice, result);

        Producer screen = Assert.Single(room.Router.Producers);
        Assert.Equal((TrackSource.Screen, 0u), (screen.Source, screen.Ssrc));
    }

    [Fact]
    public void Subscribing_offer_is_answered_sendonly_with_the_consumer_ssrc()
    {
        ConsultationRoom room = NewRoom();
        Participant alice = Publish(room, "Alice");
        Participant bob = Publish(room, "Bob");
        string audioId = alice.Id + "-0", videoId = alice.Id + "-1";
        string offer = new ChromiumLikeOffer()
            .Audio("0", "sendonly", ssrc: 5555)
            .Video("1", "sendonly", ssrc: 6666, rtxSsrc: 7777)
            .Audio("2", "recvonly")
            .Video("3", "recvonly", vp8Pt: 120, h264Pt: 102)
            .Video("4", "recvonly")
            .ToString();
        var subscriptions = new Dictionary<string, string> { ["2"] = audioId, ["3"] = videoId, ["4"] = "no-such-producer" };

        OfferResult result = _host.Answerer.Answer(bob, offer, subscriptions, None);

        Assert.Null(result.Error);
        Assert.Empty(result.NewProducers); // Bob's publication is unchanged
        Assert.Empty(result.ClosedProducers);
        SessionDescription answer = AnswerAssert.Parse(result.AnswerSdp!);
        Assert.Equal(["0", "1", "2", "3"], Assert.Single(answer.GetBundleGroups()).Mids);
        Assert.Equal(SdpDirection.RecvOnly, answer.Media[0].Direction);
        Assert.Equal(SdpDirection.RecvOnly, answer.Media[1].Direction);

        uint audioSsrc = AnswerAssert.Subscribed(_host, bob, answer.Media[2], alice.Id, audioId, 111);
        uint videoSsrc = AnswerAssert.Subscribed(_host, bob, answer.Media[3], alice.Id, videoId, 120);
        Assert.Equal(["ccm fir", "nack", "nack pli", "transport-cc"], answer.Media[3].GetRtpMaps()[0].RtcpFeedback);
        // RFC 4588: retransmissions to Bob go on an RTX stream paired with the consumer's SSRC.
        Assert.Equal(["VP8", "rtx"], answer.Media[3].GetRtpMaps().Select(r => r.EncodingName));
        Assert.Equal(121, answer.Media[3].GetRtpMaps()[1].PayloadType);
        // Transport-cc on what Bob receives, and the playout-delay hint for repairs on long lossy links.
        Assert.Equal([3, 12], answer.Media[3].GetExtMaps().Select(e => e.Id).Order());
        Assert.Equal((3, 12), (result.Extensions.TransportCc, result.Extensions.PlayoutDelay));
        AnswerAssert.Rejected(answer.Media[4]);
        Assert.Empty(alice.Room.Router.Producers.SelectMany(p => p.Consumers)); // not before Commit

        _host.Answerer.Commit(bob, result);

        Assert.True(room.Router.TryGetProducer(audioId, out Producer audio));
        Consumer audioConsumer = Assert.Single(audio.Consumers);
        Assert.Equal((bob.Id, audioSsrc, (byte)111), (audioConsumer.SubscriberId, audioConsumer.Ssrc, audioConsumer.PayloadType));
        Assert.True(room.Router.TryGetProducer(videoId, out Producer video));
        Consumer videoConsumer = Assert.Single(video.Consumers);
        Assert.Equal((bob.Id, videoSsrc, (byte)120), (videoConsumer.SubscriberId, videoConsumer.Ssrc, videoConsumer.PayloadType));
        Assert.Equal((Assert.Single(answer.Media[3].GetSsrcGroups()).Ssrcs[1], (byte)121),
            (videoConsumer.RtxSsrc, videoConsumer.RtxPayloadType));
        Assert.Equal((0u, (byte)0), (audioConsumer.RtxSsrc, audioConsumer.RtxPayloadType));
        Assert.Empty(room.Router.Producers.Where(p => p.ParticipantId == bob.Id).SelectMany(p => p.Consumers));
    }

    [Fact]
    public void Reoffer_keeps_the_consumer_ssrc_and_creates_no_duplicate()
    {
        ConsultationRoom room = NewRoom();
        Participant alice = Publish(room, "Alice");
        Participant bob = _host.Join(room, "Bob");
        var subscriptions = new Dictionary<string, string> { ["0"] = alice.Id + "-0" };
        string offer = new ChromiumLikeOffer().Audio("0", "recvonly").ToString();

        OfferResult first = _host.Answerer.Answer(bob, offer, subscriptions, None);
        _host.Answerer.Commit(bob, first);
        OfferResult second = _host.Answerer.Answer(bob, offer, subscriptions, None);
        _host.Answerer.Commit(bob, second);

        Assert.Empty(second.NewConsumers);
        Assert.Empty(second.ClosedConsumers);
        Assert.Equal(
            AnswerAssert.Parse(first.AnswerSdp!).Media[0].GetSsrcs()[0].Ssrc,
            AnswerAssert.Parse(second.AnswerSdp!).Media[0].GetSsrcs()[0].Ssrc);
        Assert.True(room.Router.TryGetProducer(alice.Id + "-0", out Producer audio));
        Assert.Single(audio.Consumers);
    }

    [Fact]
    public void Subscriptions_to_own_or_wrong_kind_producers_are_rejected()
    {
        ConsultationRoom room = NewRoom();
        Participant alice = Publish(room, "Alice");
        string offer = new ChromiumLikeOffer()
            .Audio("0", "sendonly", ssrc: 1111)
            .Video("1", "sendonly", ssrc: 2222, rtxSsrc: 3333)
            .Audio("2", "recvonly")
            .Video("3", "recvonly")
            .ToString();
        Participant bob = Publish(room, "Bob");
        var subscriptions = new Dictionary<string, string> { ["2"] = bob.Id + "-0", ["3"] = alice.Id + "-1" };

        // Alice asks for her own video; Bob's audio arrives in a video section of a second offer below.
        OfferResult own = _host.Answerer.Answer(alice, offer, subscriptions, None);
        SessionDescription answer = AnswerAssert.Parse(own.AnswerSdp!);
        Assert.Equal(SdpDirection.SendOnly, answer.Media[2].Direction);
        AnswerAssert.Rejected(answer.Media[3]);

        var wrongKind = new Dictionary<string, string> { ["3"] = bob.Id + "-0" };
        answer = AnswerAssert.Parse(_host.Answerer.Answer(alice, offer, wrongKind, None).AnswerSdp!);
        AnswerAssert.Rejected(answer.Media[3]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nx=unknown\r\n")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 0 UDP/TLS/RTP/SAVPF 111\r\n")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=sendonly\r\na=rtpmap:111 opus/48000/2\r\n")]
    public void Bad_offer_gives_bad_sdp_and_changes_nothing(string offer)
    {
        ConsultationRoom room = NewRoom();
        Participant alice = Publish(room, "Alice");
        Participant bob = _host.Join(room, "Bob");
        var subscriptions = new Dictionary<string, string> { ["0"] = alice.Id + "-0" };

        OfferResult result = _host.Answerer.Answer(bob, offer, subscriptions, None);

        Assert.Equal("bad-sdp", result.ErrorCode);
        Assert.False(string.IsNullOrEmpty(result.Error));
        Assert.Null(result.AnswerSdp);
        Assert.Empty(result.NewProducers);
        Assert.Empty(result.NewConsumers);
        Assert.Equal(2, room.Router.Producers.Count);
        Assert.All(room.Router.Producers, p => Assert.Empty(p.Consumers));
    }

    [Fact]
    public void Mutated_offers_never_throw_unexpected_exceptions()
    {
        ConsultationRoom room = NewRoom();
        Participant alice = Publish(room, "Alice");
        Participant bob = _host.Join(room, "Bob");
        string offer = new ChromiumLikeOffer().Audio("0", "sendonly", ssrc: 1).Audio("1", "recvonly").Video("2", "sendonly", ssrc: 2, rtxSsrc: 3).ToString();
        var subscriptions = new Dictionary<string, string> { ["1"] = alice.Id + "-0" };
        string[] lines = offer.Split("\r\n");
        var random = new Random(42);
        for (int i = 0; i < 300; i++)
        {
            string[] mutated = (string[])lines.Clone();
            for (int e = random.Next(1, 4); e > 0; e--)
            {
                int at = random.Next(mutated.Length);
                mutated[at] = random.Next(3) switch
                {
                    0 => "",
                    1 => mutated[at][..random.Next(mutated[at].Length + 1)],
                    _ => mutated[random.Next(mutated.Length)],
                };
            }
            try
            {
                _host.Answerer.Answer(bob, string.Join("\r\n", mutated), subscriptions, None);
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException)
            {
                // SignalingSession turns these into a "bad-message" reply
            }
        }
    }

    /// <summary>A participant that published audio "0" and video "1" (committed).</summary>
    private Participant Publish(ConsultationRoom room, string name)
    {
        Participant p = _host.Join(room, name);
        string offer = new ChromiumLikeOffer().Audio("0", "sendonly", ssrc: 1111).Video("1", "sendonly", ssrc: 2222, rtxSsrc: 3333).ToString();
        OfferResult result = _host.Answerer.Answer(p, offer, None, None);
        Assert.Null(result.Error);
        _host.Answerer.Commit(p, result);
        return p;
    }
}
