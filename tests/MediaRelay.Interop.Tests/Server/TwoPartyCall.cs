using MediaRelay.Interop.Tests.Chromium;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MediaRelay.Interop.Tests.Server;

/// <summary>A server, a relay in front of its media port, and two Chromium pages joined to one room.</summary>
public sealed class TwoPartyCall : IAsyncDisposable
{
    private readonly List<IBrowserContext> _contexts = [];

    private TwoPartyCall(MediaRelayServer server, UdpRelay relay)
    {
        Server = server;
        Relay = relay;
    }

    public MediaRelayServer Server { get; }
    public UdpRelay Relay { get; }
    public IPage PageA { get; private set; } = null!;
    public IPage PageB { get; private set; } = null!;

    public static Task<TwoPartyCall> StartAsync(ChromiumFixture chromium, ITestOutputHelper output, string room,
        params string[] serverArgs) => StartAsync(chromium, output, room, null, serverArgs);

    /// <param name="relaySetup">Configures the relay (e.g. impairments) before any page sends through it.</param>
    public static Task<TwoPartyCall> StartAsync(ChromiumFixture chromium, ITestOutputHelper output, string room,
        Action<UdpRelay>? relaySetup, params string[] serverArgs) =>
        StartAsync(chromium, output, room, relaySetup, null, serverArgs);

    /// <param name="relaySetup">Configures the relay (e.g. impairments) before any page sends through it.</param>
    /// <param name="pageOptions">Browser context options for both pages (e.g. a large viewport).</param>
    public static async Task<TwoPartyCall> StartAsync(ChromiumFixture chromium, ITestOutputHelper output, string room,
        Action<UdpRelay>? relaySetup, BrowserTypeLaunchPersistentContextOptions? pageOptions, params string[] serverArgs)
    {
        var relay = new UdpRelay();
        relaySetup?.Invoke(relay);
        MediaRelayServer server = await MediaRelayServer.StartAsync(relay.Port, serverArgs);
        relay.Start(((System.Net.IPEndPoint)server.Media.Socket.LocalEndPoint).Port);
        var call = new TwoPartyCall(server, relay);
        call.PageA = await call.OpenAsync(chromium, output, room, "Dr A", pageOptions);
        call.PageB = await call.OpenAsync(chromium, output, room, "Dr B", pageOptions);
        return call;
    }

    /// <summary>Waits until both pages decode video and receive audio from each other.</summary>
    public async Task WaitForMediaAsync(TimeSpan timeout)
    {
        await WebRtcStats.WaitForAsync(PageA, s => s.VideoFramesDecoded > 0 && s.AudioPacketsReceived > 0, timeout);
        await WebRtcStats.WaitForAsync(PageB, s => s.VideoFramesDecoded > 0 && s.AudioPacketsReceived > 0, timeout);
    }

    public async Task<IPage> OpenAsync(ChromiumFixture chromium, ITestOutputHelper output, string room, string name,
        BrowserTypeLaunchPersistentContextOptions? options = null)
    {
        IBrowserContext context = await chromium.NewContextAsync(options);
        _contexts.Add(context);
        IPage page = await context.NewPageAsync();
        page.Console += (_, m) => TestOutput.TryWrite(output, $"[{name}] console.{m.Type}: {m.Text}");
        page.PageError += (_, e) => TestOutput.TryWrite(output, $"[{name}] page error: {e}");
        await page.GotoAsync(Server.RoomUrl(room, name));
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (IBrowserContext context in _contexts)
        {
            await context.CloseAsync();
        }
        await Server.DisposeAsync();
        Relay.Dispose();
    }
}
