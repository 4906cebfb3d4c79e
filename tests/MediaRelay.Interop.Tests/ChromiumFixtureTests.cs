using MediaRelay.Interop.Tests.Chromium;

namespace MediaRelay.Interop.Tests;

public sealed class ChromiumFixtureTests
{
    [Fact]
    public async Task MissingChromium_FailsWithAnInstallHint()
    {
        var fixture = new ChromiumFixture("/nonexistent/chromium");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(fixture.InitializeAsync);

        Assert.Contains("/nonexistent/chromium", error.Message, StringComparison.Ordinal);
        Assert.Contains("scripts/setup.sh", error.Message, StringComparison.Ordinal);
        await fixture.DisposeAsync();
    }

    [Fact]
    public void Flags_LetWebRtcGatherLoopbackWithFakeDevices()
    {
        Assert.Contains("--allow-loopback-in-peer-connection", ChromiumFixture.Flags);
        Assert.Contains("--use-fake-device-for-media-stream", ChromiumFixture.Flags);
        Assert.Contains("--use-fake-ui-for-media-stream", ChromiumFixture.Flags);
        Assert.Contains("--disable-background-networking", ChromiumFixture.Flags);
    }
}
