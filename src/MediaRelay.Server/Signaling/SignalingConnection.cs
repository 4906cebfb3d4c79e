using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace MediaRelay.Server.Signaling;

/// <summary>
/// One page's WebSocket. Sends are queued and written by a single writer task (a WebSocket allows one send at a
/// time); a slow page is disconnected rather than allowed to grow the queue without bound.
/// </summary>
public sealed class SignalingConnection
{
    public const int MaxMessageBytes = 256 * 1024;
    private const int MaxQueuedMessages = 256;

    private readonly WebSocket _socket;
    private readonly Channel<string> _outbox = Channel.CreateBounded<string>(
        new BoundedChannelOptions(MaxQueuedMessages) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    public SignalingConnection(WebSocket socket) => _socket = socket;

    public bool IsOpen => _socket.State == WebSocketState.Open;

    public void Send(JsonObject message)
    {
        if (!_outbox.Writer.TryWrite(message.ToJsonString()))
        {
            _socket.Abort();
        }
    }

    public void SendError(string code, string message) =>
        Send(new JsonObject { ["type"] = "error", ["code"] = code, ["message"] = message });

    /// <summary>Writes queued messages until the socket closes.</summary>
    public async Task RunWriterAsync(CancellationToken cancel)
    {
        try
        {
            await foreach (string text in _outbox.Reader.ReadAllAsync(cancel))
            {
                await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancel);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // the reader loop notices the closed socket and cleans up
        }
    }

    /// <summary>Receives one whole text message; null when the socket closed. Oversized messages close it.</summary>
    public async Task<string?> ReceiveAsync(byte[] buffer, CancellationToken cancel)
    {
        int used = 0;
        while (true)
        {
            if (used == buffer.Length)
            {
                await CloseAsync(WebSocketCloseStatus.MessageTooBig, "message too large");
                return null;
            }
            WebSocketReceiveResult result = await _socket.ReceiveAsync(buffer.AsMemory(used), cancel) switch
            {
                var r => new WebSocketReceiveResult(r.Count, r.MessageType, r.EndOfMessage),
            };
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }
            used += result.Count;
            if (result.EndOfMessage)
            {
                return result.MessageType == WebSocketMessageType.Text ? Encoding.UTF8.GetString(buffer, 0, used) : "";
            }
        }
    }

    public async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        _outbox.Writer.TryComplete();
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(status, reason, timeout.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            _socket.Abort();
        }
    }

    public void Complete() => _outbox.Writer.TryComplete();
}
