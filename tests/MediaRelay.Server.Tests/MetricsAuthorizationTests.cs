using System.Net;
using System.Net.Http.Headers;

namespace MediaRelay.Server.Tests;

/// <summary>
/// MediaRelay:Auth:MetricsToken guards GET /metrics: without that bearer token a scrape gets 401 and no metrics,
/// with it the exposition; health endpoints stay open. Without a token configured /metrics is open.
/// </summary>
public sealed class MetricsAuthorizationTests
{
    private const string Token = "scrape-4f1c9a7e2b";

    private static async Task<HttpResponseMessage> GetAsync(RunningHost host, string path, string? bearer)
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return await http.SendAsync(request);
    }

    [Fact]
    public async Task With_a_token_configured_only_its_bearer_gets_the_metrics()
    {
        await using RunningHost host = await RunningHost.StartAsync("--MediaRelay:Auth:MetricsToken=" + Token);

        foreach (string? wrong in new[] { null, "", "scrape-4f1c9a7e2", Token + "x", Token.ToUpperInvariant() })
        {
            using HttpResponseMessage refused = await GetAsync(host, "/metrics", wrong);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
            Assert.DoesNotContain("mediarelay_", await refused.Content.ReadAsStringAsync());
        }
        using HttpResponseMessage scraped = await GetAsync(host, "/metrics", Token);
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.Contains("mediarelay_rooms ", await scraped.Content.ReadAsStringAsync());

        using HttpResponseMessage health = await GetAsync(host, "/healthz", bearer: null);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode); // probes carry no credentials
    }

    [Fact]
    public async Task A_configured_token_read_with_a_trailing_newline_still_matches()
    {
        await using RunningHost host = await RunningHost.StartAsync("--MediaRelay:Auth:MetricsToken=" + Token + "\n");

        using HttpResponseMessage scraped = await GetAsync(host, "/metrics", Token);
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        using HttpResponseMessage refused = await GetAsync(host, "/METRICS/", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode); // the path matches however it is spelled
    }

    [Fact]
    public async Task Without_a_token_configured_the_metrics_are_open()
    {
        await using RunningHost host = await RunningHost.StartAsync();

        using HttpResponseMessage scraped = await GetAsync(host, "/metrics", bearer: null);
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.Contains("mediarelay_rooms ", await scraped.Content.ReadAsStringAsync());
    }
}
