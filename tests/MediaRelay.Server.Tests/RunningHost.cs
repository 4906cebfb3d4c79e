using System.Net.WebSockets;
using MediaRelay.Server.Media;
using MediaRelay.Server.Negotiation;
using MediaRelay.Server.Rooms;
using MediaRelay.Server.Security;
using MediaRelay.Server.Signaling;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace MediaRelay.Server.Tests;

/// <summary>
/// The real host (Kestrel on 127.0.0.1:0, media UDP socket on 127.0.0.1:0) in Development, with a temporary data
/// directory. Extra command-line settings are appended after the defaults, so they win.
/// </summary>
internal sealed class RunningHost : IAsyncDisposable
{
    private readonly TempDirectory _data;

    private RunningHost(WebApplication app, TempDirectory data)
    {
        App = app;
        _data = data;
    }

    public WebApplication App { get; }
    public string DataDirectory => _data.Path;
    public Uri BaseAddress => new(App.Urls.First());
    public MediaServer Media => App.Services.GetRequiredService<MediaServer>();
    public RoomRegistry Rooms => App.Services.GetRequiredService<RoomRegistry>();
    public OfferAnswerer Answerer => App.Services.GetRequiredService<OfferAnswerer>();
    public JoinTokenService Tokens => App.Services.GetRequiredService<JoinTokenService>();

    public static async Task<RunningHost> StartAsync(params string[] extraArgs)
    {
        var data = new TempDirectory();
        string[] args =
        [
            "--environment", "Development",
            "--urls", "http://127.0.0.1:0",
            "--MediaRelay:Media:Port=0",
            "--MediaRelay:DataDirectory=" + data.Path,
            "--Logging:LogLevel:Default=Warning",
            .. extraArgs,
        ];
        WebApplication app = MediaRelayHost.Build(args);
        await app.StartAsync();
        return new RunningHost(app, data);
    }

    /// <summary>Joins a new participant to a room, with a signaling connection over an in-memory stream.</summary>
    public Participant Join(ConsultationRoom room, string name)
    {
        var socket = WebSocket.CreateFromStream(new MemoryStream(), new WebSocketCreationOptions { IsServer = true });
        string id = Guid.NewGuid().ToString("N")[..12];
        var participant = new Participant(id, name, room, new SignalingConnection(socket), Media.CreatePeer(id));
        Assert.Equal(JoinStatus.Joined, room.TryJoin(participant));
        return participant;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        _data.Dispose();
    }
}
