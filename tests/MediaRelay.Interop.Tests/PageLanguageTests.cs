using MediaRelay.Interop.Tests.Chromium;
using MediaRelay.Interop.Tests.Server;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MediaRelay.Interop.Tests;

/// <summary>The consultation page speaks Chinese, English, Russian, Kazakh, Vietnamese and Thai, chosen by the visitor.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class PageLanguageTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    [Fact]
    public async Task LanguageComesFromTheLinkOrTheBrowserAndCanBeSwitched()
    {
        await using MediaRelayServer server = await MediaRelayServer.StartAsync();
        IBrowserContext context = await chromium.NewContextAsync(new() { Locale = "ru-RU" });
        IPage page = await context.NewPageAsync();
        page.PageError += (_, e) => output.WriteLine($"page error: {e}");

        await page.GotoAsync(server.RoomUrl("lang-room", "Dr Ivanova"));
        Assert.Equal("Выйти", await page.InnerTextAsync("#leave"));          // from the browser's language
        Assert.Equal("ru", await page.EvaluateAsync<string>("() => document.documentElement.lang"));
        string[] offered = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#language option')].map(o => o.value)");
        Assert.Equal(["en", "zh", "ru", "kk", "vi", "th"], offered);

        await page.SelectOptionAsync("#language", "th");
        Assert.Equal("ออก", await page.InnerTextAsync("#leave"));
        await page.SelectOptionAsync("#language", "kk");
        Assert.Equal("Қатысушылар", await page.InnerTextAsync("aside h2"));

        await page.GotoAsync(server.RoomUrl("lang-room", "Dr Nguyen") + "&lang=vi");  // the link wins
        Assert.Equal("Rời đi", await page.InnerTextAsync("#leave"));
        await page.GotoAsync(server.RoomUrl("lang-room", "Dr Wang") + "&lang=zh-CN");
        Assert.Equal("共享屏幕", await page.InnerTextAsync("#share"));
        await context.CloseAsync();
    }
}
