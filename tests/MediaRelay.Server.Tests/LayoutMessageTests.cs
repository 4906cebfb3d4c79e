using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using MediaRelay.Server.Diagnostics;
using MediaRelay.Server.Negotiation;
using MediaRelay.Server.Rooms;
using MediaRelay.Sfu;

namespace MediaRelay.Server.Tests;

/// <summary>
/// The signaling "layout" message ({"type":"layout","producerId":ID,"width":W}) over the real WebSocket: malformed
/// ones and ones naming a producer the page does not receive get an error reply and are counted; the conversation,
/// the page's consumers and the other participants go on.
/// </summary>
[Collection(MediaMetricsCollection.Name)]
public class LayoutMessageTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private static readonly Dictionary<string, string> None = [];
    private readonly RunningHost _host = fixture.Host;

    [Fact]
    public async Task Bad_layouts_are_refused_and_counted_and_the_conversation_goes_on()
    {
        string roomId = "lay-" + Guid.NewGuid().ToString("N")[..8];
        ConsultationRoom room = _host.Rooms.GetOrCreate(roomId);
        Participant alice = _host.Join(room, "Alice");
        OfferResult published = _host.Answerer.Answer(alice, new ChromiumLikeOffer()
            .Audio("0", "sendonly", ssrc: 1111).Video("1", "sendonly", ssrc: 2222, rtxSsrc: 2223).ToString(), None, None);
        _host.Answerer.Commit(alice, published);
        string aliceAudio = alice.Id + "-0", aliceVideo = alice.Id + "-1";

        await using var dana = await SignalingClient.ConnectAsync(_host);
        await dana.SendAsync(new JsonObject { ["type"] = "join", ["room"] = roomId, ["token"] = _host.Tokens.Issue(roomId, "Dana", TimeSpan.FromMinutes(5)) });
        await dana.ReceiveAsync("joined");
        await dana.SendAsync(new JsonObject
        {
            ["type"] = "offer",
            ["sdp"] = new ChromiumLikeOffer().Video("0", "recvonly").ToString(),
            ["subscriptions"] = new JsonObject { ["0"] = aliceVideo },
        });
        await dana.ReceiveAsync("answer");
        Participant danaParticipant = Assert.Single(room.Participants, p => p.Name == "Dana");

        double badLayout = MediaMetrics.SignalingErrorCount("bad-layout");
        double unknownProducer = MediaMetrics.SignalingErrorCount("unknown-producer");
        (string Json, string Code)[] refused =
        [
            ("""{"type":"layout"}""", "bad-layout"),
            ($$"""{"type":"layout","producerId":"{{aliceVideo}}"}""", "bad-layout"),
            ("""{"type":"layout","width":320}""", "bad-layout"),
            ("""{"type":"layout","producerId":42,"width":320}""", "bad-layout"),
            ($$"""{"type":"layout","producerId":"{{aliceVideo}}","width":-1}""", "bad-layout"),
            ($$"""{"type":"layout","producerId":"{{aliceVideo}}","width":16385}""", "bad-layout"),
            ($$"""{"type":"layout","producerId":"{{aliceVideo}}","width":"320"}""", "bad-layout"),
            ($$"""{"type":"layout","producerId":"{{aliceVideo}}","width":320.5}""", "bad-layout"),
            ($$"""{"type":"layout","producerId":"{{aliceVideo}}","width":1e12}""", "bad-layout"),
            ($$"""{"type":"layout","producerId":["{{aliceVideo}}"],"width":320}""", "bad-layout"),
            ("""{"type":"layout","producerId":"no-such-producer","width":320}""", "unknown-producer"),
            ($$"""{"type":"layout","producerId":"{{aliceAudio}}","width":320}""", "unknown-producer"), // not received
        ];
        foreach ((string json, string code) in refused)
        {
            await dana.SendTextAsync(json);
            JsonObject error = await dana.ReceiveAsync("error");
            Assert.True(code == (string?)error["code"], json + " → " + error.ToJsonString());
        }

        Assert.Equal(10, MediaMetrics.SignalingErrorCount("bad-layout") - badLayout);
        Assert.Equal(2, MediaMetrics.SignalingErrorCount("unknown-producer") - unknownProducer);

        // Valid layouts get no reply: the next reply is the one to the unknown message sent after them.
        await dana.SendTextAsync($$"""{"type":"layout","producerId":"{{aliceVideo}}","width":0}""");
        await dana.SendTextAsync($$"""{"type":"layout","producerId":"{{aliceVideo}}","width":16384}""");
        await dana.SendTextAsync($$"""{"type":"layout","producerId":"{{aliceVideo}}","width":320,"extra":{"a":[1,2]},"more":true}""");
        await dana.SendTextAsync("""{"type":"ping"}""");
        Assert.Equal("unknown-type", (string?)(await dana.ReceiveAsync("error"))["code"]);

        Assert.True(dana.IsOpen);
        Assert.True(room.Router.TryGetProducer(aliceVideo, out Producer video));
        Consumer consumer = Assert.Single(video.Consumers);
        Assert.Equal(danaParticipant.Id, consumer.SubscriberId);
        Assert.False(consumer.IsClosed);
        Assert.Same(consumer, Assert.Single(danaParticipant.Peer.Media.Consumers));
        Assert.Equal(2, room.Participants.Count);
    }

    [Fact]
    public async Task Layout_before_join_is_refused_as_not_joined()
    {
        await using var page = await SignalingClient.ConnectAsync(_host);
        double notJoined = MediaMetrics.SignalingErrorCount("not-joined");

        await page.SendTextAsync("""{"type":"layout","producerId":"x","width":320}""");

        Assert.Equal("not-joined", (string?)(await page.ReceiveAsync("error"))["code"]);
        Assert.Equal(1, MediaMetrics.SignalingErrorCount("not-joined") - notJoined);
        Assert.True(page.IsOpen);
    }
}
