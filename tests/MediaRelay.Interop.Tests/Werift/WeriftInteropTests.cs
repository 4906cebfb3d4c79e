using System.Diagnostics;
using MediaRelay.Interop.Tests.Chromium;
using MediaRelay.Interop.Tests.Server;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MediaRelay.Interop.Tests.Werift;

/// <summary>
/// A second, non-browser WebRTC stack in a MediaRelay room: werift (pure TypeScript ICE, DTLS, SRTP and SDP, npm
/// werift@0.24.4) joins next to a Chromium page, subscribes to the page's camera and microphone and publishes VP8
/// (and Opus) that ffmpeg encodes, which the page decodes. Everything the server does is exercised against an
/// implementation that shares no code with libwebrtc.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class WeriftInteropTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task WeriftClient_ReceivesThePagesAudioAndVideo_AndThePageDecodesWeriftVideo()
    {
        const string room = "werift-ward";
        await using MediaRelayServer server = await MediaRelayServer.StartAsync();
        IBrowserContext context = await chromium.NewContextAsync();
        WeriftClient? werift = null;
        var clock = Stopwatch.StartNew();
        try
        {
            IPage page = await context.NewPageAsync();
            page.Console += (_, m) => Log($"[page] console.{m.Type}: {m.Text}");
            page.PageError += (_, e) => Log($"[page] page error: {e}");
            await page.GotoAsync(server.RoomUrl(room, "Dr Chromium"));
            // The page publishes first, so werift finds its producers in "joined" and subscribes in its first offer.
            WebRtcStatsSnapshot publishing = await WebRtcStats.WaitForAsync(page,
                s => s.ConnectionStates.Contains("connected") && s.PacketsSent > 0, Timeout);
            Log($"page publishing after {clock.Elapsed.TotalSeconds:F1} s: {publishing}");

            string token = server.Tokens.Issue(room, "werift", TimeSpan.FromMinutes(5));
            werift = WeriftClient.Start(server.BaseUrl, room, token);
            var weriftStarted = Stopwatch.StartNew();

            WeriftStatus connected = await werift.WaitForAsync(s => s.ReachedConnected, Timeout);
            Log($"werift connected after {weriftStarted.Elapsed.TotalSeconds:F1} s: {connected}");
            WeriftStatus received = await werift.WaitForAsync(
                s => s.Received.Video > 50 && s.Received.Audio > 50, Timeout);
            Log($"werift received after {weriftStarted.Elapsed.TotalSeconds:F1} s: {received}");
            WebRtcStatsSnapshot decoded = await WebRtcStats.WaitForAsync(page,
                s => s.VideoFramesDecoded > 0 && s.AudioPacketsReceived > 0, Timeout);
            Log($"page decoded werift after {weriftStarted.Elapsed.TotalSeconds:F1} s: {decoded}");

            Assert.True(received.ReachedConnected);
            Assert.Empty(received.Errors);
            Assert.Equal(2, received.Subscriptions.Count); // the page's camera and microphone
            Assert.All(received.ReceivedByProducer.Values, n => Assert.True(n > 0));
            Assert.True(received.Received.Video > 50, $"werift video packets: {received.Received.Video}");
            Assert.True(received.Received.Audio > 50, $"werift audio packets: {received.Received.Audio}");
            Assert.True(decoded.VideoFramesDecoded > 0);
            Assert.True(decoded.MaxVideoFrameWidth == 320, $"frame width {decoded.MaxVideoFrameWidth}");
            Assert.Contains(decoded.InboundCodecs, c => c.Contains("VP8", StringComparison.OrdinalIgnoreCase));
            Assert.Contains(decoded.InboundCodecs, c => c.Contains("opus", StringComparison.OrdinalIgnoreCase));
            Assert.Equal(2, server.Media.PeerCount);
        }
        catch
        {
            if (werift is not null)
            {
                await werift.DisposeAsync(); // drains its stderr first
            }
            DumpWerift(werift);
            throw;
        }
        finally
        {
            if (werift is not null)
            {
                await werift.DisposeAsync();
                Log($"werift exit code {werift.ExitCode?.ToString() ?? "(killed)"}, total {clock.Elapsed.TotalSeconds:F1} s");
            }
            await context.CloseAsync();
        }
    }

    private void DumpWerift(WeriftClient? werift)
    {
        if (werift is null)
        {
            return;
        }
        Log($"werift last status: {werift.Status}");
        foreach (string line in werift.Events)
        {
            Log($"[werift event] {line}");
        }
        foreach (string line in werift.StandardError)
        {
            Log($"[werift stderr] {line}");
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
            // the test finished; late console lines are dropped
        }
    }
}
