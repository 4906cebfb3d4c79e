using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace MediaRelay.Server.Tests;

/// <summary>A page's end of the signaling WebSocket.</summary>
internal sealed class SignalingClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly byte[] _buffer = new byte[64 * 1024];

    public bool IsOpen => _socket.State == WebSocketState.Open;

    public static async Task<SignalingClient> ConnectAsync(RunningHost host)
    {
        var client = new SignalingClient();
        var uri = new UriBuilder(host.BaseAddress) { Scheme = "ws", Path = "/ws" }.Uri;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client._socket.ConnectAsync(uri, timeout.Token);
        return client;
    }

    public Task SendAsync(JsonObject message) => SendTextAsync(message.ToJsonString());

    public async Task SendTextAsync(string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    /// <summary>The next message of <paramref name="type"/>, skipping pushed ones (participantJoined...).</summary>
    public async Task<JsonObject> ReceiveAsync(string type)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            int used = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await _socket.ReceiveAsync(_buffer.AsMemory(used), timeout.Token);
                used += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            var message = (JsonObject)JsonNode.Parse(_buffer.AsSpan(0, used))!;
            if ((string?)message["type"] == type)
            {
                return message;
            }
            Assert.True((string?)message["type"] != "error", "unexpected error: " + message.ToJsonString());
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await SendTextAsync("""{"type":"leave"}""");
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // the server closed first
            }
        }
        _socket.Dispose();
    }
}
