using MediaRelay.Interop.Tests.Chromium;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MediaRelay.Interop.Tests.Server;

/// <summary>Chromium pages joined to a room of a <see cref="ServerProcess"/>; closing it closes the pages only.</summary>
public sealed class ProcessCall(ChromiumFixture chromium, ITestOutputHelper output) : IAsyncDisposable
{
    private readonly List<IBrowserContext> _contexts = [];

    public List<IPage> Pages { get; } = [];

    /// <summary>Opens one page per name in the room and waits until every page decodes video and receives audio.</summary>
    public async Task JoinAsync(ServerProcess server, string roomId, params string[] names)
    {
        foreach (string name in names)
        {
            IBrowserContext context = await chromium.NewContextAsync();
            _contexts.Add(context);
            IPage page = await context.NewPageAsync();
            page.PageError += (_, e) => TestOutput.TryWrite(output, $"[{name}] page error: {e}");
            await page.GotoAsync(server.RoomUrl(roomId, name));
            Pages.Add(page);
        }
        foreach (IPage page in Pages)
        {
            await WebRtcStats.WaitForAsync(page, s => s.VideoFramesDecoded > 0 && s.AudioPacketsReceived > 0, TimeSpan.FromSeconds(20));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (IBrowserContext context in _contexts)
        {
            await context.CloseAsync();
        }
        _contexts.Clear();
    }
}
