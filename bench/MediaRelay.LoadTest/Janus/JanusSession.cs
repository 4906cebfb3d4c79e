using System.Net;
using System.Text.Json.Nodes;

namespace MediaRelay.LoadTest.Janus;

/// <summary>
/// One Janus session over the REST (HTTP) transport, talking to the VideoRoom plugin. A background long-poll
/// (GET /janus/SID?maxev=20, which also keeps the session alive) routes asynchronous plugin replies to their
/// request by transaction and remembers "webrtcup"/"hangup" per handle. Thread-safe: any number of handles
/// (PeerConnections) per session, any number of sessions per <see cref="HttpClient"/>.
/// </summary>
/// <remarks>Janus API: https://janus.conf.meetecho.com/docs/rest.html and the VideoRoom plugin docs.</remarks>
public sealed class JanusSession : IAsyncDisposable
{
    private const string VideoRoomPlugin = "janus.plugin.videoroom";
    private const int MaxEventsPerPoll = 20;

    private readonly HttpClient _http;
    private readonly Uri _sessionUri;
    private readonly Uri _pollUri;
    private readonly JanusEventRouter _events = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pollLoop;
    private int _disposed;

    private JanusSession(HttpClient http, Uri apiBase, long sessionId)
    {
        _http = http;
        SessionId = sessionId;
        _sessionUri = new Uri($"{apiBase.AbsoluteUri.TrimEnd('/')}/{sessionId}");
        _pollUri = new Uri($"{_sessionUri.AbsoluteUri}?maxev={MaxEventsPerPoll}");
        _pollLoop = Task.Run(PollLoopAsync);
    }

    public long SessionId { get; }

    /// <summary>Upper bound for one request including its asynchronous plugin reply.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Creates a session and starts its long-poll loop.</summary>
    public static async Task<JanusSession> CreateAsync(HttpClient http, Uri apiBase, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(apiBase);
        JsonObject reply = await JanusRest.PostAsync(http, apiBase, new JsonObject { ["janus"] = "create" }, ct)
            .ConfigureAwait(false);
        return new JanusSession(http, apiBase, JanusRest.DataId(reply, "create"));
    }

    /// <summary>Attaches a new VideoRoom handle (one per PeerConnection).</summary>
    public async Task<long> AttachAsync(CancellationToken ct)
    {
        ThrowIfFailed();
        var request = new JsonObject { ["janus"] = "attach", ["plugin"] = VideoRoomPlugin };
        JsonObject reply = await JanusRest.PostAsync(_http, _sessionUri, request, ct).ConfigureAwait(false);
        long handle = JanusRest.DataId(reply, "attach");
        _events.Handle(handle);
        return handle;
    }

    /// <summary>Detaches a handle (Janus hangs up its PeerConnection).</summary>
    public async Task DetachAsync(long handle, CancellationToken ct)
    {
        await JanusRest.PostAsync(_http, HandleUri(handle), new JsonObject { ["janus"] = "detach" }, ct)
            .ConfigureAwait(false);
        _events.Untrack(handle);
    }

    /// <summary>Creates a room (opus + VP8, no periodic FIR/PLI) and returns the id Janus picked.</summary>
    public async Task<long> CreateRoomAsync(int maxPublishers, int bitrateBps, CancellationToken ct)
    {
        long handle = await AttachAsync(ct).ConfigureAwait(false);
        try
        {
            var body = new JsonObject
            {
                ["request"] = "create",
                ["publishers"] = maxPublishers,
                ["bitrate"] = bitrateBps,
                ["audiocodec"] = "opus",
                ["videocodec"] = "vp8",
                ["fir_freq"] = 0,
                ["permanent"] = false,
            };
            JsonObject data = await MessageAsync(handle, body, null, ct).ConfigureAwait(false);
            return JanusRest.RequiredLong(data, "room", "create room");
        }
        finally
        {
            await DetachQuietlyAsync(handle).ConfigureAwait(false);
        }
    }

    /// <summary>Destroys a room (its publishers and subscribers are kicked).</summary>
    public async Task DestroyRoomAsync(long room, CancellationToken ct)
    {
        long handle = await AttachAsync(ct).ConfigureAwait(false);
        try
        {
            await MessageAsync(handle, new JsonObject { ["request"] = "destroy", ["room"] = room }, null, ct)
                .ConfigureAwait(false);
        }
        finally
        {
            await DetachQuietlyAsync(handle).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Attaches a handle and sends "joinandconfigure" as publisher with our offer; returns when the "joined" event
    /// with Janus's answer arrives. Janus answers a=setup:active (it is the DTLS client) and is ICE-controlled.
    /// </summary>
    public async Task<JanusPublisher> PublishAsync(long room, string display, string offerSdp, CancellationToken ct)
    {
        long handle = await AttachAsync(ct).ConfigureAwait(false);
        try
        {
            var body = new JsonObject
            {
                ["request"] = "joinandconfigure",
                ["room"] = room,
                ["ptype"] = "publisher",
                ["display"] = display,
            };
            var jsep = new JsonObject { ["type"] = "offer", ["sdp"] = offerSdp, ["trickle"] = false };
            JsonObject evt = await MessageEventAsync(handle, body, jsep, ct).ConfigureAwait(false);
            JsonObject data = JanusRest.PluginData(evt)!;
            long feed = JanusRest.RequiredLong(data, "id", "joinandconfigure");
            return new JanusPublisher(handle, feed, JanusRest.JsepSdp(evt, "answer", "joinandconfigure"));
        }
        catch
        {
            await DetachQuietlyAsync(handle).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Completes when Janus reports "webrtcup" (ICE and DTLS done) for the handle, also if it already did;
    /// throws if the handle was hung up or detached first.
    /// </summary>
    public Task WaitForWebRtcUpAsync(long handle, CancellationToken ct)
    {
        ThrowIfFailed();
        return _events.Handle(handle).WebRtcUp.WaitAsync(ct);
    }

    /// <summary>
    /// Attaches a handle and joins as subscriber to the feeds in one PeerConnection; returns Janus's offer
    /// (a=setup:actpass, Janus is ICE-controlling). A feed is only known after its publisher's webrtcup:
    /// before that Janus answers 428 "No such feed".
    /// </summary>
    public async Task<JanusSubscriber> SubscribeAsync(long room, IReadOnlyList<long> feeds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(feeds);
        var streams = new JsonArray();
        foreach (long feed in feeds)
        {
            streams.Add(new JsonObject { ["feed"] = feed });
        }

        long handle = await AttachAsync(ct).ConfigureAwait(false);
        try
        {
            var body = new JsonObject
            {
                ["request"] = "join",
                ["room"] = room,
                ["ptype"] = "subscriber",
                ["streams"] = streams,
            };
            JsonObject evt = await MessageEventAsync(handle, body, null, ct).ConfigureAwait(false);
            return new JanusSubscriber(handle, JanusRest.JsepSdp(evt, "offer", "subscribe"));
        }
        catch (JanusException e) when (e.Code == 428)
        {
            await DetachQuietlyAsync(handle).ConfigureAwait(false);
            throw new JanusException(e.Code, e.Reason + " (Janus lists a feed only from its publisher's webrtcup"
                + " until the publisher leaves: await WaitForWebRtcUpAsync(publisher.Handle) first)", "subscribe");
        }
        catch
        {
            await DetachQuietlyAsync(handle).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Sends "start" with our answer to Janus's subscriber offer; waits for started:ok.</summary>
    public async Task StartSubscriberAsync(long handle, string answerSdp, CancellationToken ct)
    {
        var jsep = new JsonObject { ["type"] = "answer", ["sdp"] = answerSdp, ["trickle"] = false };
        JsonObject evt = await MessageEventAsync(handle, new JsonObject { ["request"] = "start" }, jsep, ct)
            .ConfigureAwait(false);
        JsonObject? data = JanusRest.PluginData(evt);
        if (data?["started"]?.GetValue<string>() != "ok")
        {
            throw new JanusException($"Janus answered 'start' without started:ok: {evt.ToJsonString()}");
        }
    }

    /// <summary>Tells Janus no more candidates will come for the handle (half-trickle end of candidates).</summary>
    public async Task SendEndOfCandidatesAsync(long handle, CancellationToken ct)
    {
        var request = new JsonObject
        {
            ["janus"] = "trickle",
            ["candidate"] = new JsonObject { ["completed"] = true },
        };
        await JanusRest.PostAsync(_http, HandleUri(handle), request, ct).ConfigureAwait(false);
    }

    /// <summary>Destroys the session (Janus hangs up all its handles) and stops the long-poll.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Stop the long-poll first: otherwise it re-polls the destroyed session and Janus logs an error each time.
        await _stop.CancelAsync().ConfigureAwait(false);
        await _pollLoop.ConfigureAwait(false);
        if (_events.Failure is null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await JanusRest.PostAsync(_http, _sessionUri, new JsonObject { ["janus"] = "destroy" }, timeout.Token)
                    .ConfigureAwait(false);
            }
            catch (Exception e) when (e is JanusException or HttpRequestException or OperationCanceledException)
            {
                // Janus may be gone already; nothing to clean up then.
            }
        }

        _events.Fail(new ObjectDisposedException(nameof(JanusSession)));
        _stop.Dispose();
    }

    /// <summary>A "message" whose reply may come synchronously ("success") or later on the long-poll ("ack").</summary>
    private async Task<JsonObject> MessageAsync(long handle, JsonObject body, JsonObject? jsep, CancellationToken ct)
    {
        JsonObject reply = await MessageEventAsync(handle, body, jsep, ct).ConfigureAwait(false);
        return JanusRest.PluginData(reply)
            ?? throw new JanusException($"Janus reply without plugindata: {reply.ToJsonString()}");
    }

    /// <summary>Sends a plugin message and returns the whole reply event (plugindata and jsep), errors thrown.</summary>
    private async Task<JsonObject> MessageEventAsync(long handle, JsonObject body, JsonObject? jsep, CancellationToken ct)
    {
        ThrowIfFailed();
        string requestName = body["request"]?.GetValue<string>() ?? "message";
        string transaction = JanusRest.NewTransaction();
        var request = new JsonObject { ["janus"] = "message", ["transaction"] = transaction, ["body"] = body };
        if (jsep is not null)
        {
            request["jsep"] = jsep;
        }

        Task<JsonObject> asyncReply = _events.Expect(transaction);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(RequestTimeout);
            JsonObject reply = await JanusRest.PostAsync(_http, HandleUri(handle), request, timeout.Token, requestName)
                .ConfigureAwait(false);
            if (reply["janus"]?.GetValue<string>() == "ack")
            {
                try
                {
                    reply = await asyncReply.WaitAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    throw new TimeoutException(
                        $"Janus did not answer '{requestName}' on handle {handle} within {RequestTimeout.TotalSeconds:0} s");
                }
            }

            JanusRest.ThrowIfPluginError(reply, requestName);
            return reply;
        }
        finally
        {
            _events.Forget(transaction);
        }
    }

    private async Task PollLoopAsync()
    {
        int failures = 0;
        CancellationToken stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using HttpResponseMessage response = await _http.GetAsync(_pollUri, stop).ConfigureAwait(false);
                string text = await response.Content.ReadAsStringAsync(stop).ConfigureAwait(false);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new HttpRequestException($"long-poll answered HTTP {(int)response.StatusCode}: {text}");
                }

                JsonNode? node = JsonNode.Parse(text);
                if (node is JsonArray events)
                {
                    foreach (JsonNode? e in events)
                    {
                        _events.Dispatch(e as JsonObject);
                    }
                }
                else
                {
                    _events.Dispatch(node as JsonObject);
                }

                failures = 0;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (TaskCanceledException)
            {
                // HttpClient.Timeout shorter than Janus's 30 s long-poll: just poll again.
            }
            catch (JanusException e)
            {
                _events.Fail(e);
                return;
            }
            catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException)
            {
                if (++failures >= 3)
                {
                    _events.Fail(new JanusException($"session {SessionId} long-poll failed: {e.Message}", e));
                    return;
                }

                await Task.Delay(100 * failures, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private void ThrowIfFailed()
    {
        if (_events.Failure is { } failure)
        {
            throw new JanusException($"session {SessionId} is no longer usable: {failure.Message}", failure);
        }
    }

    private async Task DetachQuietlyAsync(long handle)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await DetachAsync(handle, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is JanusException or HttpRequestException or OperationCanceledException)
        {
            // Best effort: the handle dies with the session anyway.
        }
    }

    private Uri HandleUri(long handle) => new($"{_sessionUri.AbsoluteUri}/{handle}");
}
