using MediaRelay.Dtls;
using MediaRelay.LoadTest.Janus;
using MediaRelay.LoadTest.Peers;

namespace MediaRelay.LoadTest.Targets;

/// <summary>
/// Janus VideoRoom (Debian janus 1.1.2) under the same load: started by the tool on the server core with a private
/// configuration (see Janus/README.md), one REST session per room. Publishers offer the same SDP they send
/// MediaRelay; Janus answers as DTLS client and ICE-controlled agent, so the peer nominates (USE-CANDIDATE) and is
/// the DTLS server. Subscribers join after every publisher's webrtcup, one handle per subscriber for all the room's
/// feeds; Janus offers, the peer answers recvonly as DTLS client and ICE-controlled agent.
/// </summary>
internal sealed class JanusTarget : ILoadTarget
{
    private readonly LoadSettings _settings;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(40) };
    private readonly List<JanusSession> _sessions = [];
    private JanusProcess? _janus;

    private JanusTarget(LoadSettings settings)
    {
        _settings = settings;
    }

    public string Name => "Janus";

    public int ProcessId => _janus?.ProcessId ?? 0;

    public System.Net.IPAddress PeerAddress => JanusProcess.CandidateAddress;

    /// <summary>Janus runs only inside the load tool's network namespace (scripts/load-netns.sh makes it).</summary>
    public static ILoadTarget? TryCreate(LoadSettings settings, out string? skipped)
    {
        if (!JanusProcess.CanRun(out string reason))
        {
            skipped = reason + " (run the load tool through scripts/bench.sh, which makes the namespace)";
            return null;
        }
        skipped = null;
        return new JanusTarget(settings);
    }

    public async Task StartAsync(CancellationToken cancel)
    {
        string directory = Path.Combine(_settings.WorkDirectory, "janus");
        Directory.CreateDirectory(directory);
        _janus = await JanusProcess.StartAsync(new JanusOptions(directory, CpuList: _settings.ServerCpus,
            EventLoops: _settings.JanusEventLoops), cancel);
    }

    public async Task AddRoomAsync(LoadRoom room, LoadContext context, CancellationToken cancel)
    {
        JanusSession session = await JanusSession.CreateAsync(_http, _janus!.ApiBase, cancel);
        lock (_sessions)
        {
            _sessions.Add(session);
        }
        long roomId = await session.CreateRoomAsync(Math.Max(room.Publishers.Count, 1), _settings.VideoBitrate * 2, cancel);
        var feeds = new List<long>();
        var handles = new List<long>();
        foreach (LoadPeer publisher in room.Publishers)
        {
            JanusPublisher published = await session.PublishAsync(roomId, "publisher " + publisher.Index,
                LoadSdp.PublisherOffer(publisher, context.Certificate.Fingerprint), cancel);
            RemoteDescription answer = LoadSdp.Parse(published.AnswerSdp);
            publisher.Connect(answer.Candidate, answer.Ufrag, answer.Password, iceControlling: true, context.Certificate,
                answer.Fingerprint, answer.Setup == "active" ? DtlsRole.Server : DtlsRole.Client, context.SrtpProfile);
            feeds.Add(published.FeedId);
            handles.Add(published.Handle);
        }
        for (int i = 0; i < handles.Count; i++)
        {
            try
            {
                await session.WaitForWebRtcUpAsync(handles[i], cancel);
            }
            catch (JanusException e)
            {
                throw new InvalidOperationException($"Janus publisher {room.Publishers[i].Index}: {e.Message}; {room.Publishers[i].Ice}", e);
            }
        }
        foreach (LoadPeer subscriber in room.Subscribers)
        {
            JanusSubscriber offered = await session.SubscribeAsync(roomId, feeds, cancel);
            RemoteDescription offer = LoadSdp.Parse(offered.OfferSdp);
            subscriber.Connect(offer.Candidate, offer.Ufrag, offer.Password, iceControlling: false, context.Certificate,
                offer.Fingerprint, DtlsRole.Client, context.SrtpProfile);
            await session.StartSubscriberAsync(offered.Handle, LoadSdp.SubscriberAnswer(subscriber, context.Certificate.Fingerprint, offer), cancel);
            subscriber.ExpectedStreams = 2 * room.Publishers.Count;
        }
    }

    public Task<ServerCounters?> ReadCountersAsync(CancellationToken cancel) => Task.FromResult<ServerCounters?>(null);

    public async ValueTask DisposeAsync()
    {
        foreach (JanusSession session in _sessions)
        {
            await session.DisposeAsync();
        }
        if (_janus is not null)
        {
            await _janus.DisposeAsync();
        }
        _http.Dispose();
    }
}
