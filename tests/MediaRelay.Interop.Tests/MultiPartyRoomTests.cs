using MediaRelay.Interop.Tests.Chromium;
using MediaRelay.Interop.Tests.Server;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MediaRelay.Interop.Tests;

/// <summary>
/// Four Chromium pages in one consultation: everyone publishes a simulcast camera and a microphone, one page also
/// shares a content track (a canvas standing in for a screen or an image viewer). Every page decodes the other
/// cameras and the share; a page that shows small tiles gets a lower simulcast layer than a page with large ones;
/// a participant who leaves disappears from the others.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class MultiPartyRoomTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    private static readonly TimeSpan MediaTimeout = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task FourPagesWithSimulcastAndAShare_EveryoneDecodesEveryoneAndTilesGetFittingLayers()
    {
        await using var call = await TwoPartyCall.StartAsync(chromium, output, "tumour-board");
        IPage small = await call.OpenAsync(chromium, output, "tumour-board", "Dr Small",
            new() { ViewportSize = new ViewportSize { Width = 420, Height = 700 } });
        IPage large = await call.OpenAsync(chromium, output, "tumour-board", "Dr Large",
            new() { ViewportSize = new ViewportSize { Width = 1280, Height = 800 }, DeviceScaleFactor = 3 });
        IPage[] pages = [call.PageA, call.PageB, small, large];
        await RoomPages.ShareCanvasAsync(call.PageB);
        string[] ids = await Task.WhenAll(pages.Select(RoomPages.ParticipantIdAsync));

        // Every page decodes the three other cameras, and the share unless it is its own.
        for (int i = 0; i < pages.Length; i++)
        {
            int expected = i == 1 ? 3 : 4;
            IPage page = pages[i];
            bool all = await RoomPages.WaitAsync(async () =>
                (await RoomPages.ReadInboundVideoAsync(page)).Count(v => v.FramesDecoded > 0) >= expected, MediaTimeout);
            IReadOnlyList<RoomPages.InboundVideo> videos = await RoomPages.ReadInboundVideoAsync(page);
            output.WriteLine($"page {i}: " + string.Join("; ", videos));
            Assert.True(all, $"page {i} decodes only {videos.Count(v => v.FramesDecoded > 0)} of {expected} videos");
            Assert.Equal(expected == 4 ? 1 : 0, videos.Count(v => v.Source == "screen" && v.FramesDecoded > 0));
        }
        foreach (var producer in call.Server.Producers("tumour-board").Where(p => p.IsSimulcast))
        {
            output.WriteLine($"{producer.Id}: " + string.Join(", ", producer.Layers.Select(l => $"{l.Rid} {l.Width}x{l.Height} {l.Packets}p")));
        }

        // The small page shows page A's camera small and receives a lower layer than the large page does.
        int topWidth = call.Server.Producers("tumour-board")
            .Single(p => p.ParticipantId == ids[0] && p.IsSimulcast).Layers.Max(l => l.Width);
        Assert.True(topWidth > 0, "no simulcast layer size learned");
        bool fitted = await RoomPages.WaitAsync(async () =>
        {
            int smallWidth = (await RoomPages.ReadInboundVideoAsync(small)).Single(v => v.ParticipantId == ids[0] && v.Source == "camera").FrameWidth;
            int largeWidth = (await RoomPages.ReadInboundVideoAsync(large)).Single(v => v.ParticipantId == ids[0] && v.Source == "camera").FrameWidth;
            return smallWidth > 0 && smallWidth < topWidth && largeWidth == topWidth;
        }, MediaTimeout);
        foreach (var producer in call.Server.Producers("tumour-board").Where(p => p.IsSimulcast))
        {
            output.WriteLine($"{producer.Id}: " + string.Join(", ", producer.Layers.Select(l => $"{l.Rid} {l.Width}x{l.Height} {l.Packets}p {l.BitsPerSecond / 1000}k ({l.DuplicatesDropped} copies dropped)")));
        }
        output.WriteLine("paths: " + string.Join(" / ", call.Server.Media.Peers.Select(p => p.DescribeSubscriberPath())));
        output.WriteLine("small: " + string.Join("; ", await RoomPages.ReadInboundVideoAsync(small)));
        output.WriteLine("large: " + string.Join("; ", await RoomPages.ReadInboundVideoAsync(large)));
        Assert.True(fitted, $"small tiles should get a layer narrower than {topWidth}, large tiles the top layer");

        // Page B leaves: its camera and its share disappear from every other page, and from the participant list.
        await call.PageB.ClickAsync("#leave");
        foreach (IPage page in new[] { call.PageA, small, large })
        {
            await page.Locator($".tile[data-participant=\"{ids[1]}\"]").First.WaitForAsync(
                new LocatorWaitForOptions { State = WaitForSelectorState.Detached, Timeout = 10_000 });
            Assert.Equal(0, await page.Locator($"#participants li[data-participant=\"{ids[1]}\"]").CountAsync());
        }
    }
}
