using System.Diagnostics;
using MediaRelay.Server.Negotiation;
using MediaRelay.Server.Rooms;
using MediaRelay.Sfu;

namespace MediaRelay.Server.Tests;

/// <summary>
/// A committed three-party room, built through the OfferAnswerer as a page would:
/// Alice publishes audio "0" and video "1"; Bob publishes audio "0" and video "1" and receives Alice's audio ("2")
/// and video ("3"); Carol receives Alice's video ("0") and Bob's video ("1"). Every SSRC is distinct.
/// Keyframe requests raised by the commit itself are drained, so a test sees only the ones it causes.
/// </summary>
internal sealed class MultiPartyRoom
{
    public const uint AliceAudioSsrc = 0x0A11CE01, AliceVideoSsrc = 0x0A11CE02;
    public const uint BobAudioSsrc = 0x0000B0B1, BobVideoSsrc = 0x0000B0B2;

    private static readonly Dictionary<string, string> None = [];
    private long _clock = Stopwatch.GetTimestamp();

    private MultiPartyRoom(RunningHost host)
    {
        Host = host;
        Room = host.Rooms.GetOrCreate("mp-" + Guid.NewGuid().ToString("N")[..8]);
        Alice = host.Join(Room, "Alice");
        Commit(Alice, new ChromiumLikeOffer()
            .Audio("0", "sendonly", ssrc: AliceAudioSsrc)
            .Video("1", "sendonly", ssrc: AliceVideoSsrc, rtxSsrc: AliceVideoSsrc + 1), None);
        AliceAudio = Producer(Alice.Id + "-0");
        AliceVideo = Producer(Alice.Id + "-1");

        Bob = host.Join(Room, "Bob");
        Commit(Bob, new ChromiumLikeOffer()
            .Audio("0", "sendonly", ssrc: BobAudioSsrc)
            .Video("1", "sendonly", ssrc: BobVideoSsrc, rtxSsrc: BobVideoSsrc + 1)
            .Audio("2", "recvonly")
            .Video("3", "recvonly"),
            new Dictionary<string, string> { ["2"] = AliceAudio.Id, ["3"] = AliceVideo.Id });
        BobAudio = Producer(Bob.Id + "-0");
        BobVideo = Producer(Bob.Id + "-1");

        Carol = host.Join(Room, "Carol");
        Commit(Carol, new ChromiumLikeOffer().Video("0", "recvonly").Video("1", "recvonly"),
            new Dictionary<string, string> { ["0"] = AliceVideo.Id, ["1"] = BobVideo.Id });

        BobOfAliceAudio = Consumer(Bob, AliceAudio);
        BobOfAliceVideo = Consumer(Bob, AliceVideo);
        CarolOfAliceVideo = Consumer(Carol, AliceVideo);
        CarolOfBobVideo = Consumer(Carol, BobVideo);
        DrainKeyFrameRequests();
    }

    public RunningHost Host { get; }
    public ConsultationRoom Room { get; }
    public Participant Alice { get; }
    public Participant Bob { get; }
    public Participant Carol { get; }
    public Producer AliceAudio { get; }
    public Producer AliceVideo { get; }
    public Producer BobAudio { get; }
    public Producer BobVideo { get; }
    public Consumer BobOfAliceAudio { get; }
    public Consumer BobOfAliceVideo { get; }
    public Consumer CarolOfAliceVideo { get; }
    public Consumer CarolOfBobVideo { get; }

    public IEnumerable<Producer> Producers => [AliceAudio, AliceVideo, BobAudio, BobVideo];

    public static MultiPartyRoom Create(RunningHost host) => new(host);

    /// <summary>
    /// Runs the producer's keyframe-request flush at a clock past its 500 ms throttle; true when a request was
    /// pending for a layer with a known SSRC (a PLI went to the publisher, or would have if it were connected).
    /// </summary>
    public bool TakeKeyFrameRequest(Producer producer)
    {
        long before = producer.KeyFrameRequestsSent;
        producer.FlushKeyFrameRequest(_clock += Stopwatch.Frequency);
        return producer.KeyFrameRequestsSent > before;
    }

    /// <summary>The producers that had a keyframe request pending (each is cleared).</summary>
    public IReadOnlyList<Producer> TakeKeyFrameRequests() => [.. Producers.Where(TakeKeyFrameRequest)];

    public void DrainKeyFrameRequests() => _ = TakeKeyFrameRequests();

    private void Commit(Participant participant, ChromiumLikeOffer offer, Dictionary<string, string> subscriptions)
    {
        OfferResult result = Host.Answerer.Answer(participant, offer.ToString(), subscriptions, None);
        Assert.Null(result.Error);
        Host.Answerer.Commit(participant, result);
    }

    private Producer Producer(string id)
    {
        Assert.True(Room.Router.TryGetProducer(id, out Producer producer), id);
        return producer;
    }

    private static Consumer Consumer(Participant subscriber, Producer producer) =>
        Assert.Single(subscriber.Peer.Media.Consumers, c => c.Producer == producer);
}
