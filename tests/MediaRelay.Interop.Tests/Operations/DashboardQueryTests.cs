using System.Net.WebSockets;
using System.Text;
using MediaRelay.Interop.Tests.Chromium;
using MediaRelay.Interop.Tests.Server;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MediaRelay.Interop.Tests.Operations;

/// <summary>
/// The proof of issue 7: the real Prometheus from Debian scrapes a server every second while two Chromium pages
/// are in a call; its generated configuration passes <c>promtool check config</c>; then every PromQL expression of
/// every panel of deploy/grafana/mediarelay.json, with the dashboard's variables substituted as Grafana would, is
/// sent to Prometheus' query API and must answer "success" with at least one series. The failure lists every
/// expression that answered nothing (or an error).
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class DashboardQueryTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    /// <summary>Longer than the 15 s $__rate_interval the queries use, so every rate() has a full window of the call.</summary>
    private static readonly TimeSpan CallDuration = TimeSpan.FromSeconds(25);

    [Fact]
    public async Task EveryDashboardQueryReturnsDataFromPrometheusScrapingATwoPageCall()
    {
        GrafanaDashboard dashboard = GrafanaDashboard.Load(GrafanaDashboard.DefaultPath);
        // /metrics guarded by a token, as in production: Prometheus sends it from a credentials file.
        string token = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        await using MediaRelayServer server = await MediaRelayServer.StartAsync(null, "--MediaRelay:Auth:MetricsToken=" + token);
        using (var anonymous = new HttpClient())
        {
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync(server.BaseUrl + "/metrics")).StatusCode);
        }
        await using PrometheusProcess prometheus = await PrometheusProcess.StartAsync(new Uri(server.BaseUrl).Authority, bearerToken: token);
        (int exitCode, string checkOutput) = await Promtool.CheckConfigAsync(prometheus.ConfigPath);
        Assert.True(exitCode == 0, $"promtool check config (generated) exited {exitCode}:\n{checkOutput}");

        var contexts = new List<IBrowserContext>();
        try
        {
            var pages = new List<IPage>();
            foreach (string name in new[] { "Dr A", "Dr B" })
            {
                IBrowserContext context = await chromium.NewContextAsync();
                contexts.Add(context);
                IPage page = await context.NewPageAsync();
                page.PageError += (_, e) => Log($"[{name}] page error: {e}");
                await page.GotoAsync(server.RoomUrl("ops-ward", name));
                pages.Add(page);
            }
            foreach (IPage page in pages)
            {
                await WebRtcStats.WaitForAsync(page, s => s.VideoFramesDecoded > 0 && s.AudioPacketsReceived > 0,
                    TimeSpan.FromSeconds(20));
            }
            // A join with a forged token: the signaling-errors panel's series exists from its first error on.
            await JoinWithForgedTokenAsync(server);
            await Task.Delay(CallDuration);
            foreach (IPage page in pages)
            {
                WebRtcStatsSnapshot stats = await WebRtcStats.ReadAsync(page);
                Log($"page: {stats}");
            }

            // Queried while the call still runs: gauges (rooms, participants) and rates are those of the call.
            var empty = new List<string>();
            foreach (DashboardTarget target in dashboard.Targets)
            {
                string query = GrafanaDashboard.Substitute(target.Expression, GrafanaDashboard.TestVariables);
                PrometheusQueryResult result = await prometheus.QueryAsync(query);
                Log($"{target}: {result}\n    {query}");
                if (!result.IsNonEmpty)
                {
                    empty.Add($"{target}: {result}\n    {query}");
                }
            }
            Assert.True(empty.Count == 0,
                $"{empty.Count} of {dashboard.Targets.Count} dashboard expressions returned nothing from Prometheus " +
                $"after a {CallDuration.TotalSeconds:0} s two-page call:\n" + string.Join('\n', empty));
        }
        finally
        {
            foreach (IBrowserContext context in contexts)
            {
                await context.CloseAsync();
            }
        }
    }

    private static async Task JoinWithForgedTokenAsync(MediaRelayServer server)
    {
        using var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(new Uri(server.BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/ws"), timeout.Token);
        byte[] join = Encoding.UTF8.GetBytes("""{"type":"join","room":"ops-ward","token":"forged"}""");
        await socket.SendAsync(join, WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        var buffer = new byte[4096];
        WebSocketReceiveResult answer = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Contains("token-invalid", Encoding.UTF8.GetString(buffer, 0, answer.Count));
    }

    private void Log(string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // the test finished
        }
    }
}
