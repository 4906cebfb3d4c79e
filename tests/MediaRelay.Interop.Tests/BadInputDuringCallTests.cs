using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using MediaRelay.Interop.Tests.Chromium;
using MediaRelay.Interop.Tests.Server;
using MediaRelay.Server.Diagnostics;
using Xunit.Abstractions;

namespace MediaRelay.Interop.Tests;

/// <summary>
/// While two Chromium pages are in a call, a hostile or broken peer throws bad input at every layer. Each piece is
/// refused or dropped with a counter or an error reply, and the running call goes on undisturbed.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class BadInputDuringCallTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    private static readonly TimeSpan MediaTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task CallSurvivesGarbageAtEveryLayer()
    {
        await using var call = await TwoPartyCall.StartAsync(chromium, output, "icu-2");
        await call.WaitForMediaAsync(MediaTimeout);
        var mediaPort = new IPEndPoint(IPAddress.Loopback, ((IPEndPoint)call.Server.Media.Socket.LocalEndPoint).Port);
        var before = Snapshot();

        // 1. Random bytes and 2. truncated STUN and 3. DTLS from an address no ICE check vouched for.
        using (var stranger = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            var random = new Random(7);
            for (int i = 0; i < 200; i++)
            {
                byte[] junk = new byte[random.Next(1, 1400)];
                random.NextBytes(junk);
                junk[0] = (byte)random.Next(192, 256); // outside every RFC 7983 range
                stranger.SendTo(junk, mediaPort);
            }
            byte[] truncatedStun = [0x00, 0x01, 0x00, 0x08, 0x21, 0x12, 0xA4, 0x42, 0x01, 0x02];
            stranger.SendTo(truncatedStun, mediaPort);
            byte[] dtls = new byte[60];
            dtls[0] = 22; // handshake record
            dtls[1] = 0xFE;
            dtls[2] = 0xFD;
            stranger.SendTo(dtls, mediaPort);
        }

        // 4. SRTP failing authentication and 5. replayed SRTP, from the real peer's own address (through the relay).
        UdpRelay.Leg legA = call.Relay.Legs[0];
        IReadOnlyList<byte[]> recent = legA.RecentSrtp;
        Assert.NotEmpty(recent);
        foreach (byte[] original in recent.Take(20))
        {
            legA.InjectToServer(original); // already accepted once: a replay
        }
        foreach (byte[] original in recent.Where(p => p[1] is < 192 or > 223).TakeLast(5))
        {
            // An RTP packet moved 200 sequence numbers ahead (so the replay window lets it through to
            // authentication) with a flipped payload byte: the tag no longer matches.
            byte[] forged = (byte[])original.Clone();
            ushort sequence = (ushort)((forged[2] << 8 | forged[3]) + 200);
            forged[2] = (byte)(sequence >> 8);
            forged[3] = (byte)sequence;
            forged[^12] ^= 0x5A;
            legA.InjectToServer(forged);
        }

        // 6. Malformed signaling JSON and 7. joins with a wrong-room and an expired token, on other connections.
        await AssertSignalingRefusalsAsync(call.Server);

        await Task.Delay(500);
        var after = Snapshot();
        output.WriteLine("drops: " + string.Join(", ", Enum.GetValues<DropReason>()
            .Where(r => after[r] != before[r]).Select(r => $"{r}+{after[r] - before[r]}")));
        Assert.True(after[DropReason.UnknownProtocol] - before[DropReason.UnknownProtocol] >= 200);
        Assert.True(after[DropReason.StunMalformed] > before[DropReason.StunMalformed]);
        Assert.True(after[DropReason.DtlsUnknownAddress] > before[DropReason.DtlsUnknownAddress]);
        Assert.True(after[DropReason.SrtpReplay] > before[DropReason.SrtpReplay]);
        Assert.True(after[DropReason.SrtpAuthenticationFailed] > before[DropReason.SrtpAuthenticationFailed]);

        // The call is undisturbed: both pages still connected and still decoding new frames and audio.
        foreach (var page in new[] { call.PageA, call.PageB })
        {
            WebRtcStatsSnapshot now = await WebRtcStats.ReadAsync(page);
            await WebRtcStats.WaitForAsync(page, s => s.VideoFramesDecoded > now.VideoFramesDecoded + 10
                && s.AudioPacketsReceived > now.AudioPacketsReceived + 50, MediaTimeout);
            Assert.All((await WebRtcStats.ReadAsync(page)).ConnectionStates, state => Assert.Equal("connected", state));
        }
        Assert.Equal(2, call.Server.Media.PeerCount);
    }

    private static async Task AssertSignalingRefusalsAsync(MediaRelayServer server)
    {
        var wsUri = new Uri(server.BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/ws");
        using (var ws = new ClientWebSocket())
        {
            await ws.ConnectAsync(wsUri, CancellationToken.None);
            await SendAsync(ws, "{ this is not json");
            Assert.Equal("bad-json", (string?)(await ReceiveAsync(ws))["code"]);
            await SendAsync(ws, "[1,2,3]");
            Assert.Equal("bad-json", (string?)(await ReceiveAsync(ws))["code"]);
            await SendAsync(ws, """{"type":"offer","sdp":"v=0"}""");
            Assert.Equal("not-joined", (string?)(await ReceiveAsync(ws))["code"]);
            Assert.Equal(WebSocketState.Open, ws.State); // bad messages do not end the conversation
        }

        string wrongRoom = server.Tokens.Issue("another-room", "Mallory", TimeSpan.FromMinutes(5));
        Assert.Equal("token-wrong-room", await JoinAsync(wsUri, "icu-2", wrongRoom));
        string expired = server.Tokens.Issue("icu-2", "Late", TimeSpan.FromSeconds(-5));
        Assert.Equal("token-expired", await JoinAsync(wsUri, "icu-2", expired));
        Assert.Equal("token-invalid", await JoinAsync(wsUri, "icu-2", "forged.token"));
    }

    private static async Task<string?> JoinAsync(Uri wsUri, string room, string token)
    {
        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(wsUri, CancellationToken.None);
        await SendAsync(ws, new JsonObject { ["type"] = "join", ["room"] = room, ["token"] = token }.ToJsonString());
        JsonObject reply = await ReceiveAsync(ws);
        Assert.Equal("error", (string?)reply["type"]);
        return (string?)reply["code"];
    }

    private static Task SendAsync(ClientWebSocket ws, string text) =>
        ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<JsonObject> ReceiveAsync(ClientWebSocket ws)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var buffer = new byte[64 * 1024];
        WebSocketReceiveResult r = await ws.ReceiveAsync(buffer, timeout.Token);
        return JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, r.Count))!.AsObject();
    }

    private static Dictionary<DropReason, double> Snapshot() =>
        Enum.GetValues<DropReason>().ToDictionary(r => r, MediaMetrics.DroppedCount);
}
