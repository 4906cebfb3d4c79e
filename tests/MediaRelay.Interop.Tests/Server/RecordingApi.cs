using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MediaRelay.Interop.Tests.Server;

/// <summary>The recording REST API as an operator uses it: start with out-of-band consent, read, wait, download.</summary>
public static class RecordingApi
{
    /// <summary>Starts recording a room, recording everyone's consent as an operator's with a reason; the recording id.</summary>
    public static async Task<string> StartWithOperatorConsentAsync(HttpClient http, string roomId)
    {
        using HttpResponseMessage started = await http.PostAsJsonAsync($"/api/rooms/{roomId}/recordings",
            new { @operator = "Nurse Li", reason = "written consent form on file" });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        return (string)(await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    public static async Task<JsonObject> GetAsync(HttpClient http, string id) =>
        (await http.GetFromJsonAsync<JsonObject>($"/api/recordings/{id}"))!;

    /// <summary>Polls until the recording leaves "recording" and "finalizing"; returns it as the API shows it then.</summary>
    public static async Task<JsonObject> WaitUntilSettledAsync(HttpClient http, string id, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            JsonObject recording = await GetAsync(http, id);
            string state = (string)recording["state"]!;
            if (state is not ("recording" or "finalizing"))
            {
                return recording;
            }
            Assert.True(clock.Elapsed < timeout, $"recording {id} still {state} after {timeout.TotalSeconds:F0} s");
            await Task.Delay(250);
        }
    }

    public static string[] FileNames(JsonObject recording) => [.. recording["files"]!.AsArray().Select(f => (string)f!["name"]!)];

    public static string[] AuditActions(JsonObject recording) => [.. recording["audit"]!.AsArray().Select(a => (string)a!["action"]!)];

    /// <summary>Downloads every finished file (decrypted by the server as it streams) into a directory; their paths.</summary>
    public static async Task<string[]> DownloadAsync(HttpClient http, string id, JsonObject recording, string directory)
    {
        Directory.CreateDirectory(directory);
        var paths = new List<string>();
        foreach (string name in FileNames(recording))
        {
            string path = Path.Combine(directory, name);
            await File.WriteAllBytesAsync(path, await http.GetByteArrayAsync($"/api/recordings/{id}/files/{name}"));
            paths.Add(path);
        }
        return [.. paths];
    }
}
