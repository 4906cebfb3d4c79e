using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using MediaRelay.LoadTest.Peers;
using MediaRelay.LoadTest.Reflector;
using MediaRelay.Srtp;

namespace MediaRelay.LoadTest.Targets;

/// <summary>
/// The bare reflector (<see cref="BareReflector"/>) as a separate process on the server core: this load tool's own
/// executable with "reflect". Peers skip ICE and DTLS and share one SRTP key the generator chose, so the bytes on
/// the wire are the same size and the subscribers decrypt their samples exactly as with a real server.
/// </summary>
internal sealed class ReflectorTarget(string cpuList, string workDirectory) : ILoadTarget
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(16);
    private readonly byte[] _salt = RandomNumberGenerator.GetBytes(14);
    private ChildProcess? _process;
    private IPEndPoint _endPoint = new(IPAddress.Loopback, 0);

    public string Name => "bare reflector";

    public int ProcessId => _process?.Id ?? 0;

    public async Task StartAsync(CancellationToken cancel)
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }
        _endPoint = new IPEndPoint(IPAddress.Loopback, port);
        _process = ChildProcess.Start(cpuList, "dotnet",
            [typeof(ReflectorTarget).Assembly.Location, "reflect", "--port", port.ToString(CultureInfo.InvariantCulture)],
            Path.Combine(workDirectory, "reflector.log"), new Dictionary<string, string> { ["DOTNET_gcServer"] = "0" });
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.ReadAllText(_process.LogPath).Contains("reflecting on", StringComparison.Ordinal))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("The reflector did not start:\n" + _process.LogTail());
            }
            await Task.Delay(100, cancel);
        }
    }

    public async Task AddRoomAsync(LoadRoom room, LoadContext context, CancellationToken cancel)
    {
        byte[] registration = new byte[16];
        foreach (LoadPeer peer in room.Publishers.Concat(room.Subscribers))
        {
            peer.ConnectWithoutHandshake(_endPoint, SrtpProfile.AesCm128HmacSha1_80, _key, _salt);
            int length = BareReflector.WriteRegistration(registration, peer.Kind == PeerKind.Publisher, room.Number);
            for (int i = 0; i < 3; i++)
            {
                peer.Send(registration.AsSpan(0, length));
            }
            if (peer.Kind == PeerKind.Subscriber)
            {
                peer.ExpectedStreams = 2 * room.Publishers.Count;
            }
        }
        await Task.Delay(50, cancel);
    }

    public Task<ServerCounters?> ReadCountersAsync(CancellationToken cancel) => Task.FromResult<ServerCounters?>(null);

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}
