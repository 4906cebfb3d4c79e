using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace MediaRelay.LoadTest.Targets;

/// <summary>
/// One load peer's MediaRelay signaling WebSocket (JSON messages with a "type", see the server's SignalingSession).
/// A background loop reads every pushed message, so the server's writer never backs up; callers wait for the type
/// they need. The socket stays open for the whole run: closing it is leaving the room.
/// </summary>
internal sealed class SignalingChannel : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private const int MaxSkipped = 256;

    private readonly Channel<JsonObject> _inbox = Channel.CreateUnbounded<JsonObject>();
    private readonly List<JsonObject> _skipped = [];
    private Task? _reader;

    public static async Task<SignalingChannel> ConnectAsync(Uri uri, CancellationToken cancel)
    {
        var channel = new SignalingChannel();
        await channel._socket.ConnectAsync(uri, cancel);
        channel._reader = Task.Run(channel.ReadLoopAsync, CancellationToken.None);
        return channel;
    }

    public Task SendAsync(JsonObject message, CancellationToken cancel) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, cancel);

    /// <summary>
    /// The next message of <paramref name="type"/>; an "error" message fails with the server's words. Messages of
    /// other types that arrive meanwhile are kept for a later call (in order), so waiting for one reply never loses
    /// another. One caller at a time.
    /// </summary>
    public async Task<JsonObject> ReceiveAsync(string type, CancellationToken cancel)
    {
        for (int i = 0; i < _skipped.Count; i++)
        {
            if ((string?)_skipped[i]["type"] == type)
            {
                JsonObject kept = _skipped[i];
                _skipped.RemoveAt(i);
                return kept;
            }
        }
        while (true)
        {
            JsonObject message = await _inbox.Reader.ReadAsync(cancel);
            string? t = (string?)message["type"];
            if (t == type)
            {
                return message;
            }
            if (t == "error")
            {
                throw new InvalidOperationException("MediaRelay signaling error: " + message.ToJsonString());
            }
            if (_skipped.Count < MaxSkipped)
            {
                _skipped.Add(message);
            }
        }
    }

    private async Task ReadLoopAsync()
    {
        byte[] buffer = new byte[256 * 1024];
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                int used = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(used), CancellationToken.None);
                    used += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close && used < buffer.Length);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                if (JsonNode.Parse(buffer.AsSpan(0, used)) is JsonObject message)
                {
                    await _inbox.Writer.WriteAsync(message);
                }
            }
        }
        catch (WebSocketException)
        {
            // the server went away; waiters time out
        }
        finally
        {
            _inbox.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // already gone
            }
        }
        _socket.Dispose();
        if (_reader is not null)
        {
            await Task.WhenAny(_reader, Task.Delay(2000));
        }
    }
}
