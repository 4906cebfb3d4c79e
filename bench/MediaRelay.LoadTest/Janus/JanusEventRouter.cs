using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace MediaRelay.LoadTest.Janus;

/// <summary>
/// Routes what a <see cref="JanusSession"/>'s long-poll delivers: a plugin's asynchronous reply goes to the
/// request with the same transaction; "webrtcup", "hangup" and "detached" update the sender handle's state.
/// </summary>
internal sealed class JanusEventRouter
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly ConcurrentDictionary<long, JanusHandleState> _handles = new();
    private volatile Exception? _failure;

    /// <summary>Why the session stopped working (long-poll failed, session destroyed), or null.</summary>
    public Exception? Failure => _failure;

    /// <summary>Registers a waiter before the request is sent, so a fast reply cannot be missed.</summary>
    public Task<JsonObject> Expect(string transaction)
    {
        var waiter = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[transaction] = waiter;
        if (_failure is { } failure)
        {
            waiter.TrySetException(failure);
        }

        return waiter.Task;
    }

    public void Forget(string transaction) => _pending.TryRemove(transaction, out _);

    public JanusHandleState Handle(long handle) => _handles.GetOrAdd(handle, static _ => new JanusHandleState());

    public void Untrack(long handle) => _handles.TryRemove(handle, out _);

    /// <summary>Handles one event; throws <see cref="JanusException"/> when Janus says the session is gone.</summary>
    public void Dispatch(JsonObject? evt)
    {
        if (evt is null)
        {
            return;
        }

        string kind = evt["janus"]?.GetValue<string>() ?? string.Empty;
        if (kind == "error" && evt["sender"] is null)
        {
            // E.g. 458 "No such session": the session timed out or was destroyed.
            throw JanusRest.ErrorOf(evt, "long-poll");
        }

        string? transaction = evt["transaction"]?.GetValue<string>();
        if (transaction is not null && _pending.TryRemove(transaction, out TaskCompletionSource<JsonObject>? waiter))
        {
            waiter.TrySetResult(evt);
            return;
        }

        if (evt["sender"] is not JsonValue senderValue || !senderValue.TryGetValue(out long sender))
        {
            return;
        }

        switch (kind)
        {
            case "webrtcup":
                Handle(sender).OnWebRtcUp();
                break;
            case "hangup":
                Handle(sender).OnGone(new JanusException(
                    $"Janus hung up handle {sender}: {evt["reason"]?.GetValue<string>() ?? "no reason"}"));
                break;
            case "detached":
                if (_handles.TryRemove(sender, out JanusHandleState? gone))
                {
                    gone.OnGone(new JanusException($"Janus detached handle {sender}"));
                }

                break;
            default:
                // media, slowlink, trickle, room notifications (publishers joining/leaving): not needed here.
                break;
        }
    }

    /// <summary>Fails every waiting request and every handle still waiting for webrtcup.</summary>
    public void Fail(Exception reason)
    {
        _failure ??= reason;
        foreach (KeyValuePair<string, TaskCompletionSource<JsonObject>> pending in _pending)
        {
            pending.Value.TrySetException(reason);
        }

        foreach (KeyValuePair<long, JanusHandleState> handle in _handles)
        {
            handle.Value.OnGone(reason);
        }
    }
}
