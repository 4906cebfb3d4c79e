using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaRelay.LoadTest.Measurement;

namespace MediaRelay.LoadTest.Recording;

/// <summary>
/// MediaRelay's recording REST API as the record command uses it (Development mode: loopback callers need no key):
/// GET /api/recordings?room=, POST /api/rooms/{room}/recordings, POST /api/recordings/{id}/stop,
/// GET /api/recordings/{id}; and its /metrics.
/// </summary>
internal sealed class RecordingApi(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>The room's recordings, newest first.</summary>
    public async Task<JsonArray> ListAsync(string roomId, CancellationToken cancel) =>
        await _http.GetFromJsonAsync<JsonArray>($"api/recordings?room={Uri.EscapeDataString(roomId)}", cancel)
        ?? throw new InvalidOperationException("GET /api/recordings returned nothing.");

    /// <summary>The id of the room's one running recording; throws when there is none or more than one.</summary>
    public async Task<string> RunningIdAsync(string roomId, CancellationToken cancel)
    {
        JsonArray all = await ListAsync(roomId, cancel);
        var running = all.OfType<JsonObject>().Where(r => (string?)r["state"] == "recording").ToList();
        if (running.Count != 1)
        {
            throw new InvalidOperationException($"Room {roomId} has {running.Count} running recordings (expected 1): {all.ToJsonString()}");
        }
        return (string)running[0]["id"]!;
    }

    /// <summary>Starts recording a room whose participants have all consented; returns the recording's id.</summary>
    public async Task<string> StartAsync(string roomId, CancellationToken cancel)
    {
        using HttpResponseMessage response = await _http.PostAsync($"api/rooms/{Uri.EscapeDataString(roomId)}/recordings", null, cancel);
        string body = await response.Content.ReadAsStringAsync(cancel);
        if (!response.IsSuccessStatusCode || JsonNode.Parse(body)?["id"] is not JsonValue id)
        {
            throw new InvalidOperationException($"POST /api/rooms/{roomId}/recordings: {(int)response.StatusCode} {body}");
        }
        return (string)id!;
    }

    public async Task StopAsync(string id, CancellationToken cancel)
    {
        using HttpResponseMessage response = await _http.PostAsync($"api/recordings/{Uri.EscapeDataString(id)}/stop", null, cancel);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /api/recordings/{id}/stop: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancel)}");
        }
    }

    public async Task<JsonObject> GetAsync(string id, CancellationToken cancel) =>
        await _http.GetFromJsonAsync<JsonObject>($"api/recordings/{Uri.EscapeDataString(id)}", cancel)
        ?? throw new InvalidOperationException($"GET /api/recordings/{id} returned nothing.");

    /// <summary>Polls until the recording is "complete" or "failed" (finalizing runs in the background).</summary>
    public async Task<JsonObject> WaitFinishedAsync(string id, TimeSpan timeout, CancellationToken cancel)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            JsonObject recording = await GetAsync(id, cancel);
            string? state = (string?)recording["state"];
            if (state is "complete" or "failed")
            {
                return recording;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Recording {id} still '{state}' after {timeout.TotalSeconds:F0} s.");
            }
            await Task.Delay(250, cancel);
        }
    }

    /// <summary>The server's /metrics samples ("name{labels}" → value).</summary>
    public async Task<Dictionary<string, double>> MetricsAsync(CancellationToken cancel) =>
        PrometheusText.Parse(await MetricsTextAsync(cancel));

    public Task<string> MetricsTextAsync(CancellationToken cancel) => _http.GetStringAsync("metrics", cancel);

    public void Dispose() => _http.Dispose();
}
