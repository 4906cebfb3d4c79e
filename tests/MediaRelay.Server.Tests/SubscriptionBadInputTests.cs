using MediaRelay.Sdp;
using MediaRelay.Server.Diagnostics;
using MediaRelay.Server.Negotiation;
using MediaRelay.Server.Rooms;
using MediaRelay.Sfu;

namespace MediaRelay.Server.Tests;

/// <summary>
/// Offers whose "subscriptions" map a receiving m-section to a producer that does not exist, is the subscriber's
/// own, is closed, or is of the other kind: that section is answered with port 0 (JSEP §5.3.1) and counted as the
/// signaling error "unknown-producer"; every other section of the same offer is answered as usual and nobody
/// else's consumers move.
/// </summary>
[Collection(MediaMetricsCollection.Name)]
public class SubscriptionBadInputTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private static readonly Dictionary<string, string> None = [];
    private readonly RunningHost _host = fixture.Host;

    [Fact]
    public void Bad_subscriptions_are_refused_one_by_one_and_the_rest_of_the_offer_stands()
    {
        var room = MultiPartyRoom.Create(_host);
        Snapshot before = Snapshot.Of(room);
        string offer = BobsOffer()
            .Video("4", "recvonly")
            .Video("5", "recvonly")
            .Audio("6", "recvonly")
            .Video("7", "recvonly")
            .Video("8", "recvonly")
            .ToString();
        var subscriptions = BobsSubscriptions(room);
        subscriptions["4"] = "no-such-producer";
        subscriptions["5"] = room.BobVideo.Id;       // his own
        subscriptions["6"] = room.AliceVideo.Id;     // video in an audio section
        subscriptions["7"] = room.AliceAudio.Id;     // audio in a video section
        subscriptions["8"] = "";
        double refused = UnknownProducerCount();

        OfferResult result = _host.Answerer.Answer(room.Bob, offer, subscriptions, None);

        Assert.Null(result.Error);
        Assert.Equal(5, UnknownProducerCount() - refused);
        SessionDescription answer = AnswerAssert.Parse(result.AnswerSdp);
        Assert.Equal(["0", "1", "2", "3"], Assert.Single(answer.GetBundleGroups()).Mids);
        Assert.Equal([SdpDirection.RecvOnly, SdpDirection.RecvOnly], answer.Media.Take(2).Select(m => m.Direction));
        Assert.Equal(room.BobOfAliceAudio.Ssrc,
            AnswerAssert.Subscribed(_host, room.Bob, answer.Media[2], room.Alice.Id, room.AliceAudio.Id, 111));
        Assert.Equal(room.BobOfAliceVideo.Ssrc,
            AnswerAssert.Subscribed(_host, room.Bob, answer.Media[3], room.Alice.Id, room.AliceVideo.Id, 96));
        Assert.All(answer.Media.Skip(4), AnswerAssert.Rejected);
        Assert.Equal(["video", "video", "audio", "video", "video"], answer.Media.Skip(4).Select(m => m.Kind));
        Assert.Empty(result.NewConsumers);
        Assert.Empty(result.ClosedConsumers);
        Assert.Empty(result.NewProducers);
        Assert.Empty(result.ClosedProducers);

        _host.Answerer.Commit(room.Bob, result);

        Assert.Equal(before, Snapshot.Of(room));
        Assert.Empty(room.TakeKeyFrameRequests()); // no consumer was created, so nobody was asked for a keyframe
    }

    [Fact]
    public void Retargeting_a_subscription_to_a_missing_producer_closes_only_that_consumer()
    {
        var room = MultiPartyRoom.Create(_host);
        var subscriptions = BobsSubscriptions(room);
        subscriptions["3"] = room.AliceVideo.Id + "-gone";
        double refused = UnknownProducerCount();

        OfferResult result = _host.Answerer.Answer(room.Bob, BobsOffer().ToString(), subscriptions, None);
        _host.Answerer.Commit(room.Bob, result);

        Assert.Equal(1, UnknownProducerCount() - refused);
        AnswerAssert.Rejected(AnswerAssert.Parse(result.AnswerSdp).Media[3]);
        Assert.Equal([room.BobOfAliceVideo], result.ClosedConsumers);
        Assert.True(room.BobOfAliceVideo.IsClosed);
        Assert.Equal([room.BobOfAliceAudio], room.Bob.Peer.Media.Consumers);
        Assert.False(room.BobOfAliceAudio.IsClosed);
        Assert.Equal([room.CarolOfAliceVideo], room.AliceVideo.Consumers);
        Assert.False(room.CarolOfAliceVideo.IsClosed);
        Assert.Equal([room.CarolOfAliceVideo, room.CarolOfBobVideo], room.Carol.Peer.Media.Consumers);
    }

    [Fact]
    public void Subscription_to_a_producer_closed_meanwhile_is_refused()
    {
        var room = MultiPartyRoom.Create(_host);
        string aliceVideo = room.AliceVideo.Id;
        room.Room.CloseProducer(room.AliceVideo);
        Participant dana = _host.Join(room.Room, "Dana");
        string offer = new ChromiumLikeOffer().Audio("0", "recvonly").Video("1", "recvonly").ToString();
        var subscriptions = new Dictionary<string, string> { ["0"] = room.AliceAudio.Id, ["1"] = aliceVideo };
        double refused = UnknownProducerCount();

        OfferResult result = _host.Answerer.Answer(dana, offer, subscriptions, None);
        _host.Answerer.Commit(dana, result);

        Assert.Equal(1, UnknownProducerCount() - refused);
        SessionDescription answer = AnswerAssert.Parse(result.AnswerSdp);
        AnswerAssert.Subscribed(_host, dana, answer.Media[0], room.Alice.Id, room.AliceAudio.Id, 111);
        AnswerAssert.Rejected(answer.Media[1]);
        Assert.Equal([room.AliceAudio], dana.Peer.Media.Consumers.Select(c => c.Producer));
    }

    [Fact]
    public void Subscriptions_naming_sending_or_absent_mids_are_ignored_not_counted()
    {
        var room = MultiPartyRoom.Create(_host);
        Snapshot before = Snapshot.Of(room);
        var subscriptions = BobsSubscriptions(room);
        subscriptions["0"] = room.AliceAudio.Id;   // Bob sends on "0": it stays his publication
        subscriptions["9"] = room.AliceVideo.Id;   // no such m-section
        double refused = UnknownProducerCount();

        OfferResult result = _host.Answerer.Answer(room.Bob, BobsOffer().ToString(), subscriptions, None);
        _host.Answerer.Commit(room.Bob, result);

        Assert.Equal(0, UnknownProducerCount() - refused);
        Assert.Equal(["0", "1", "2", "3"], Assert.Single(AnswerAssert.Parse(result.AnswerSdp).GetBundleGroups()).Mids);
        Assert.Equal(before, Snapshot.Of(room));
    }

    [Fact]
    public void Recvonly_section_without_a_subscription_is_rejected_without_counting()
    {
        var room = MultiPartyRoom.Create(_host);
        var subscriptions = BobsSubscriptions(room);
        double refused = UnknownProducerCount();

        OfferResult result = _host.Answerer.Answer(room.Bob, BobsOffer().Video("4", "recvonly").ToString(), subscriptions, None);

        Assert.Equal(0, UnknownProducerCount() - refused);
        AnswerAssert.Rejected(AnswerAssert.Parse(result.AnswerSdp).Media[4]);
        Assert.Empty(result.NewConsumers);
    }

    /// <summary>Bob's committed offer again (MultiPartyRoom): publishes "0" and "1", receives "2" and "3".</summary>
    private static ChromiumLikeOffer BobsOffer() => new ChromiumLikeOffer()
        .Audio("0", "sendonly", ssrc: MultiPartyRoom.BobAudioSsrc)
        .Video("1", "sendonly", ssrc: MultiPartyRoom.BobVideoSsrc, rtxSsrc: MultiPartyRoom.BobVideoSsrc + 1)
        .Audio("2", "recvonly")
        .Video("3", "recvonly");

    private static Dictionary<string, string> BobsSubscriptions(MultiPartyRoom room) =>
        new() { ["2"] = room.AliceAudio.Id, ["3"] = room.AliceVideo.Id };

    private static double UnknownProducerCount() => MediaMetrics.SignalingErrorCount("unknown-producer");

    /// <summary>Who consumes what in the room, by identity, plus the closed flags.</summary>
    private sealed record Snapshot(string Text)
    {
        public static Snapshot Of(MultiPartyRoom room)
        {
            var lines = new List<string>();
            foreach (Producer p in room.Room.Router.Producers.OrderBy(p => p.Id, StringComparer.Ordinal))
            {
                lines.Add($"{p.Id} closed={p.IsClosed} ssrc={p.Ssrc} consumers=" + string.Join(',',
                    p.Consumers.Select(c => $"{c.Id}/{c.Ssrc}/{c.IsClosed}/{RuntimeHelpers(c)}")));
            }
            foreach (Participant participant in (Participant[])[room.Alice, room.Bob, room.Carol])
            {
                lines.Add(participant.Name + " consumes " + string.Join(',',
                    participant.Peer.Media.Consumers.Select(c => $"{c.Id}/{RuntimeHelpers(c)}")));
                lines.Add(participant.Name + " publishes " + string.Join(',',
                    participant.Peer.Media.Producers.Select(p => $"{p.Id}/{RuntimeHelpers(p)}")));
            }
            return new Snapshot(string.Join('\n', lines));
        }

        private static int RuntimeHelpers(object o) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(o);
    }
}
