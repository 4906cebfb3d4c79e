using System.Net;
using System.Text.Json;
using MediaRelay.Server.Diagnostics.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace MediaRelay.Server.Tests;

/// <summary>
/// /healthz (liveness: the media plane runs) and /readyz (readiness: media, writable storage, not shutting down)
/// answer 200 or 503 with a JSON body that names each check and why it failed.
/// </summary>
public sealed class HealthEndpointTests
{
    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(RunningHost host, string path)
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using HttpResponseMessage response = await http.GetAsync(path);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, document.RootElement.Clone());
    }

    [Fact]
    public async Task A_running_server_is_live_and_ready_and_says_which_checks_ran()
    {
        await using RunningHost host = await RunningHost.StartAsync();

        var (liveStatus, live) = await GetAsync(host, "/healthz");
        var (readyStatus, ready) = await GetAsync(host, "/readyz");

        Assert.Equal(HttpStatusCode.OK, liveStatus);
        Assert.Equal("healthy", live.GetProperty("status").GetString());
        Assert.Equal(["media"], live.GetProperty("checks").EnumerateObject().Select(c => c.Name));
        Assert.Equal(HttpStatusCode.OK, readyStatus);
        Assert.Equal(["media", "shutdown", "storage"], ready.GetProperty("checks").EnumerateObject().Select(c => c.Name).Order());
    }

    [Fact]
    public async Task Storage_that_cannot_be_written_makes_the_node_unready_but_still_live()
    {
        using var storage = new TempDirectory();
        string recordings = Path.Combine(storage.Path, "recordings");
        await using RunningHost host = await RunningHost.StartAsync("--MediaRelay:Recording:Directory=" + recordings);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(host, "/readyz")).Status);

        // The volume goes away under the running server (tests run as root, so permissions cannot take it away):
        // a file now stands where the recordings directory was.
        Directory.Delete(recordings, recursive: true);
        File.WriteAllText(recordings, "not a directory");

        var (readyStatus, ready) = await GetAsync(host, "/readyz");
        var (liveStatus, _) = await GetAsync(host, "/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyStatus);
        JsonElement check = ready.GetProperty("checks").GetProperty("storage");
        Assert.Equal("unhealthy", check.GetProperty("status").GetString());
        Assert.Contains("not writable", check.GetProperty("description").GetString());
        Assert.Equal(HttpStatusCode.OK, liveStatus); // restarting would not help: the storage needs an operator
    }

    [Fact]
    public async Task A_node_that_is_shutting_down_is_no_longer_ready()
    {
        await using RunningHost host = await RunningHost.StartAsync();
        var lifetime = (IHostApplicationLifetime)host.App.Services.GetService(typeof(IHostApplicationLifetime))!;
        var check = new ShutdownHealthCheck(lifetime);
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);

        lifetime.StopApplication(); // the listener closes too, so the check is asked directly

        HealthCheckResult stopping = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, stopping.Status);
        Assert.Equal("shutting down", stopping.Description);
    }
}
