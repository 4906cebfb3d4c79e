using MediaRelay.Interop.Tests.Chromium;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MediaRelay.Interop.Tests;

/// <summary>
/// Proves the harness without a server: two RTCPeerConnections inside one page call each other over loopback
/// with the fake camera and microphone, and the stats reader sees decoded video and received audio. If this
/// fails, Chromium, its flags or the fake devices are broken on the machine, not MediaRelay.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class ChromiumLoopbackCallTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    private static readonly TimeSpan MediaTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task LoopbackCallInOnePage_DecodesFakeCameraAndReceivesFakeMicrophone()
    {
        var context = await chromium.NewContextAsync();
        try
        {
            var page = await context.NewPageAsync();
            page.Console += (_, message) => Log($"console.{message.Type}: {message.Text}");
            page.PageError += (_, error) => Log($"page error: {error}");
            // getUserMedia needs a secure context; about:blank is not one, http://localhost is. The route answers
            // in the browser, so nothing listens on port 80.
            await page.RouteAsync(LoopbackPage.Url, static route => route.FulfillAsync(new RouteFulfillOptions
            {
                ContentType = "text/html",
                Body = LoopbackPage.Html,
            }));
            await page.GotoAsync(LoopbackPage.Url);

            Assert.True(await page.EvaluateAsync<bool>("() => window.isSecureContext"), "page is not a secure context");
            Assert.Equal(0, (await WebRtcStats.ReadAsync(page)).PeerConnections);

            await page.EvaluateAsync("() => window.startLoopbackCall()");
            var snapshot = await WebRtcStats.WaitForAsync(
                page,
                static s => s.VideoFramesDecoded > 0 && s.AudioPacketsReceived > 0,
                MediaTimeout);
            Log($"stats: {snapshot}");

            Assert.Equal(2, snapshot.PeerConnections);
            Assert.All(snapshot.ConnectionStates, state => Assert.Equal("connected", state));
            Assert.True(snapshot.MaxVideoFrameWidth > 0, snapshot.ToString());
            Assert.True(snapshot.PacketsSent > 0, snapshot.ToString());
            Assert.Contains(snapshot.InboundCodecs, codec => codec.StartsWith("video/", StringComparison.Ordinal));
            Assert.Contains("audio/opus", snapshot.InboundCodecs, StringComparer.OrdinalIgnoreCase);

            Assert.True(await WebRtcStats.GetVideoFramesDecodedAsync(page) >= snapshot.VideoFramesDecoded);
            Assert.True(await WebRtcStats.GetAudioPacketsReceivedAsync(page) >= snapshot.AudioPacketsReceived);
            Assert.True(await WebRtcStats.GetMaxVideoFrameWidthAsync(page) > 0);
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    [Fact]
    public async Task WaitFor_TimesOutWithTheLastSnapshotInTheMessage()
    {
        var context = await chromium.NewContextAsync();
        try
        {
            var page = await context.NewPageAsync();
            var error = await Assert.ThrowsAsync<TimeoutException>(() => WebRtcStats.WaitForAsync(
                page, static s => s.VideoFramesDecoded > 0, TimeSpan.FromMilliseconds(300)));
            Assert.Contains("peerConnections=0", error.Message, StringComparison.Ordinal);
            Assert.False(await WebRtcStats.WaitForAsync(() => Task.FromResult(false), TimeSpan.FromMilliseconds(100)));
            Assert.True(await WebRtcStats.WaitForAsync(() => Task.FromResult(true), TimeSpan.Zero));
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    private void Log(string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // Browser events can arrive after the test has finished.
        }
    }
}
