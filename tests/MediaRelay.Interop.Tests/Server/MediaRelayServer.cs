using MediaRelay.Server;
using MediaRelay.Server.Media;
using MediaRelay.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace MediaRelay.Interop.Tests.Server;

/// <summary>
/// A MediaRelay server hosted in the test process on loopback with ephemeral ports and a throw-away data
/// directory, built by the same <see cref="MediaRelayHost.Build"/> the executable uses.
/// </summary>
public sealed class MediaRelayServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataDirectory;

    private MediaRelayServer(WebApplication app, string dataDirectory)
    {
        _app = app;
        _dataDirectory = dataDirectory;
    }

    public string BaseUrl { get; private set; } = "";
    public IServiceProvider Services => _app.Services;
    public MediaServer Media => _app.Services.GetRequiredService<MediaServer>();
    public JoinTokenService Tokens => _app.Services.GetRequiredService<JoinTokenService>();

    /// <param name="announcedPort">The port announced in SDP (a relay's), or null for the media port itself.</param>
    public static async Task<MediaRelayServer> StartAsync(int? announcedPort = null, params string[] extraArgs)
    {
        string data = Path.Combine(Path.GetTempPath(), "mediarelay-test-" + Guid.NewGuid().ToString("N"));
        var args = new List<string>
        {
            "--environment", "Development",
            "--urls", "http://127.0.0.1:0",
            "--MediaRelay:DataDirectory=" + data,
            "--MediaRelay:Media:Port=0",
            "--MediaRelay:Media:BindAddress=127.0.0.1",
            "--Logging:LogLevel:Default=Warning",
        };
        if (announcedPort is int port)
        {
            args.Add("--MediaRelay:Media:AnnouncedPort=" + port);
        }
        args.AddRange(extraArgs);
        WebApplication app = MediaRelayHost.Build([.. args]);
        await app.StartAsync();
        var server = new MediaRelayServer(app, data) { BaseUrl = app.Urls.First().TrimEnd('/') };
        return server;
    }

    /// <summary>The producers of a room as the router holds them (empty when the room does not exist).</summary>
    public IReadOnlyList<MediaRelay.Sfu.Producer> Producers(string roomId) =>
        Services.GetRequiredService<MediaRelay.Server.Rooms.RoomRegistry>().TryGet(roomId, out var room)
            ? [.. room.Router.Producers]
            : [];

    public string RoomUrl(string roomId, string name) => $"{BaseUrl}/room/{roomId}?name={Uri.EscapeDataString(name)}";

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}

/// <summary>Room lookups for assertions.</summary>
public static class MediaRelayServices
{
    public static MediaRelay.Server.Rooms.ConsultationRoom? GetRoom(this IServiceProvider services, string roomId) =>
        services.GetRequiredService<MediaRelay.Server.Rooms.RoomRegistry>().TryGet(roomId, out var room) ? room : null;
}
