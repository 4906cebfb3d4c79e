using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using MediaRelay.Dtls;
using MediaRelay.LoadTest.Measurement;
using MediaRelay.LoadTest.Peers;

namespace MediaRelay.LoadTest.Targets;

/// <summary>
/// MediaRelay itself, started from its Release build as a separate process on the server core, in Development mode
/// on loopback (tokens from POST /api/rooms/ROOM/tokens), joined through its signaling WebSocket exactly as the
/// consultation page joins: publishers offer sendonly audio + video, subscribers join afterwards and offer recvonly
/// sections bound to the producers listed in "joined".
/// </summary>
internal sealed class MediaRelayTarget(string repositoryRoot, string cpuList, string workDirectory,
    IReadOnlyDictionary<string, string> extraEnvironment) : ILoadTarget
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly List<SignalingChannel> _channels = [];
    private ChildProcess? _process;
    private Uri _base = new("http://127.0.0.1/");

    public string Name => "MediaRelay";

    public int ProcessId => _process?.Id ?? 0;

    /// <summary>The server's HTTP address (REST API, /metrics), known once started.</summary>
    public Uri BaseAddress => _base;

    /// <summary>
    /// Every peer sends {"type":"consent"} right after joining and waits for "consentRecorded" before it offers
    /// (the record command): with AutoRecord on, a room records from its first participant's consent, so a
    /// producer's tap is attached when the producer is created, before its media can flow.
    /// </summary>
    public bool ConsentOnJoin { get; init; }

    public async Task StartAsync(CancellationToken cancel)
    {
        string dll = Path.Combine(repositoryRoot, "src", "MediaRelay.Server", "bin", "Release", "net10.0", "MediaRelay.Server.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("Build the server first: dotnet build -c Release (scripts/bench.sh does).", dll);
        }
        int httpPort = FreePort(SocketType.Stream, ProtocolType.Tcp);
        int mediaPort = FreePort(SocketType.Dgram, ProtocolType.Udp);
        string data = Path.Combine(workDirectory, "mediarelay-data");
        Directory.CreateDirectory(data);
        _base = new Uri($"http://127.0.0.1:{httpPort}/");
        _process = ChildProcess.Start(cpuList, "dotnet",
            [dll, "--environment", "Development", "--urls", _base.ToString().TrimEnd('/'),
             "--MediaRelay:DataDirectory=" + data,
             "--MediaRelay:Media:Port=" + mediaPort.ToString(CultureInfo.InvariantCulture),
             "--MediaRelay:Media:BindAddress=127.0.0.1",
             "--MediaRelay:Rooms:MaxParticipants=64",
             "--Logging:LogLevel:Default=Warning"],
            Path.Combine(workDirectory, "mediarelay.log"),
            Environment(extraEnvironment));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException("MediaRelay exited at start:\n" + _process.LogTail());
            }
            try
            {
                using var response = await _http.GetAsync(new Uri(_base, "metrics"), cancel);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("MediaRelay did not answer /metrics within 60 s:\n" + _process.LogTail());
            }
            await Task.Delay(200, cancel);
        }
    }

    public async Task AddRoomAsync(LoadRoom room, LoadContext context, CancellationToken cancel)
    {
        string roomId = "load-" + room.Number.ToString(CultureInfo.InvariantCulture);
        foreach (LoadPeer publisher in room.Publishers)
        {
            SignalingChannel channel = await JoinAsync(roomId, "publisher " + publisher.Index, cancel);
            await channel.SendAsync(new JsonObject
            {
                ["type"] = "offer",
                ["sdp"] = LoadSdp.PublisherOffer(publisher, context.Certificate.Fingerprint),
                ["sources"] = new JsonObject { ["0"] = "microphone", ["1"] = "camera" },
            }, cancel);
            ConnectFromAnswer(publisher, await channel.ReceiveAsync("answer", cancel), context);
        }
        foreach (LoadPeer subscriber in room.Subscribers)
        {
            SignalingChannel channel = await JoinAsync(roomId, "subscriber " + subscriber.Index, cancel);
            JsonObject joined = await channel.ReceiveAsync("joined", cancel);
            var subscriptions = new JsonObject();
            var wanted = new List<string>();
            int i = 0;
            foreach (LoadPeer publisher in room.Publishers)
            {
                string participant = FindParticipant(joined, "publisher " + publisher.Index);
                subscriptions[(2 * i).ToString(CultureInfo.InvariantCulture)] = participant + "-0";
                subscriptions[((2 * i) + 1).ToString(CultureInfo.InvariantCulture)] = participant + "-1";
                wanted.Add(participant + "-0");
                wanted.Add(participant + "-1");
                i++;
            }
            await WaitForProducersAsync(channel, joined, wanted, cancel);
            await channel.SendAsync(new JsonObject
            {
                ["type"] = "offer",
                ["sdp"] = LoadSdp.SubscriberOffer(subscriber, context.Certificate.Fingerprint, room.Publishers.Count),
                ["subscriptions"] = subscriptions,
            }, cancel);
            ConnectFromAnswer(subscriber, await channel.ReceiveAsync("answer", cancel), context);
            subscriber.ExpectedStreams = 2 * room.Publishers.Count;
        }
    }

    /// <summary>
    /// Waits until every producer a subscriber asks for exists: listed in "joined", or announced by "producerAdded".
    /// The server sends a publisher's answer before it adds the new producers to the router (SignalingSession.Offer,
    /// then OfferAnswerer.Commit), and with a recording running each addition also attaches a tap, so a subscriber
    /// that offers right after the publisher's answer can name a producer that is not there yet ("unknown-producer",
    /// and that stream never flows).
    /// </summary>
    private static async Task WaitForProducersAsync(SignalingChannel channel, JsonObject joined, List<string> wanted, CancellationToken cancel)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonNode? p in joined["producers"] as JsonArray ?? [])
        {
            if ((string?)p?["id"] is string id)
            {
                known.Add(id);
            }
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (!wanted.All(known.Contains))
        {
            JsonObject added = await channel.ReceiveAsync("producerAdded", timeout.Token);
            if ((string?)added["producer"]?["id"] is string id)
            {
                known.Add(id);
            }
        }
    }

    /// <summary>MEDIARELAY_PERF_MAP=1 lets `perf` name the JIT-compiled frames (perf map, no W^X double mapping).</summary>
    private static Dictionary<string, string> Environment(IReadOnlyDictionary<string, string> extra)
    {
        bool perf = System.Environment.GetEnvironmentVariable("MEDIARELAY_PERF_MAP") == "1";
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_gcServer"] = "0",
            ["DOTNET_PerfMapEnabled"] = perf ? "1" : "0",
            ["DOTNET_EnableWriteXorExecute"] = perf ? "0" : "1",
        };
        foreach (var (key, value) in extra)
        {
            environment[key] = value;
        }
        return environment;
    }

    private static string FindParticipant(JsonObject joined, string name)
    {
        foreach (JsonNode? p in (JsonArray)joined["participants"]!)
        {
            if ((string?)p?["name"] == name)
            {
                return (string)p!["id"]!;
            }
        }
        throw new InvalidOperationException($"'{name}' is not in the room: " + joined.ToJsonString());
    }

    private static void ConnectFromAnswer(LoadPeer peer, JsonObject answer, LoadContext context)
    {
        RemoteDescription remote = LoadSdp.Parse((string)answer["sdp"]!);
        DtlsRole role = remote.Setup == "active" ? DtlsRole.Server : DtlsRole.Client;
        peer.Connect(remote.Candidate, remote.Ufrag, remote.Password, iceControlling: true, context.Certificate,
            remote.Fingerprint, role, context.SrtpProfile);
    }

    private async Task<SignalingChannel> JoinAsync(string roomId, string name, CancellationToken cancel)
    {
        using var response = await _http.PostAsJsonAsync(new Uri(_base, $"api/rooms/{roomId}/tokens"), new { name }, cancel);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(cancel);
        var ws = new UriBuilder(_base) { Scheme = "ws", Path = "/ws" }.Uri;
        SignalingChannel channel = await SignalingChannel.ConnectAsync(ws, cancel);
        lock (_channels)
        {
            _channels.Add(channel);
        }
        await channel.SendAsync(new JsonObject { ["type"] = "join", ["room"] = roomId, ["token"] = (string)body!["token"]! }, cancel);
        if (ConsentOnJoin)
        {
            // Handled in order after the join on this connection; "joined" stays queued for the caller.
            await channel.SendAsync(new JsonObject { ["type"] = "consent" }, cancel);
            await channel.ReceiveAsync("consentRecorded", cancel);
        }
        return channel;
    }

    public async Task<ServerCounters?> ReadCountersAsync(CancellationToken cancel)
    {
        string text = await _http.GetStringAsync(new Uri(_base, "metrics"), cancel);
        var values = PrometheusText.Parse(text);
        return new ServerCounters(
            values.GetValueOrDefault("mediarelay_forwarded_packets_total"),
            values.GetValueOrDefault("dotnet_collection_count_total{generation=\"0\"}"),
            values.GetValueOrDefault("dotnet_collection_count_total{generation=\"1\"}"),
            values.GetValueOrDefault("dotnet_collection_count_total{generation=\"2\"}"),
            values.GetValueOrDefault("mediarelay_allocated_bytes_total", double.NaN),
            values.GetValueOrDefault("mediarelay_media_loop_max_stall_seconds", double.NaN),
            PrometheusHistogram.Read(values, "mediarelay_forward_latency_seconds"));
    }

    private static int FreePort(SocketType type, ProtocolType protocol)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, type, protocol);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (SignalingChannel channel in _channels)
        {
            await channel.DisposeAsync();
        }
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
        _http.Dispose();
    }
}
