using System.Text.Json.Nodes;
using MediaRelay.Server.Diagnostics;

namespace MediaRelay.Server.Tests;

/// <summary>A room holds MediaRelay:Rooms:MaxParticipants people; the next join is refused with a clear message.</summary>
[Collection(MediaMetricsCollection.Name)]
public sealed class RoomCapacityTests
{
    [Fact]
    public async Task A_full_room_refuses_the_next_join_and_keeps_everyone_in_it()
    {
        await using RunningHost host = await RunningHost.StartAsync("--MediaRelay:Rooms:MaxParticipants=2");
        const string roomId = "small-room";
        double refusedBefore = MediaMetrics.SignalingErrorCount("room-full");

        await using var first = await SignalingClient.ConnectAsync(host);
        await using var second = await SignalingClient.ConnectAsync(host);
        await using var third = await SignalingClient.ConnectAsync(host);
        foreach (var (client, name) in new[] { (first, "A"), (second, "B") })
        {
            await client.SendAsync(Join(host, roomId, name));
            await client.ReceiveAsync("joined");
        }
        await third.SendAsync(Join(host, roomId, "C"));
        JsonObject refusal = await third.ReceiveAsync("error");

        Assert.Equal("room-full", (string?)refusal["code"]);
        Assert.Contains("full", (string?)refusal["message"]);
        Assert.Equal(refusedBefore + 1, MediaMetrics.SignalingErrorCount("room-full"));
        Assert.True(host.Rooms.TryGet(roomId, out var room));
        Assert.Equal(["A", "B"], room.Participants.Select(p => p.Name).Order());
        Assert.Equal(2, host.Media.PeerCount); // the refused join left no transport behind
    }

    private static JsonObject Join(RunningHost host, string roomId, string name) => new()
    {
        ["type"] = "join",
        ["room"] = roomId,
        ["token"] = host.Tokens.Issue(roomId, name, TimeSpan.FromMinutes(5)),
    };
}
