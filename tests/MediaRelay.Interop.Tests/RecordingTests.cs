using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaRelay.Interop.Tests.Chromium;
using MediaRelay.Interop.Tests.Server;
using MediaRelay.Server.Recording;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace MediaRelay.Interop.Tests;

/// <summary>
/// Two Chromium pages in a call are recorded for about ten seconds through the REST API (one doctor consents in the
/// page, the other's consent is recorded by an operator with a reason; both pages show the recording); the finished room file, downloaded through the API (decrypted from rest), is read by
/// ffprobe: two VP8 and two Opus streams, a duration within 0.5 s of the wall-clock time between start and stop,
/// and each participant's audio and video starting within 40 ms of each other.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class RecordingTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    [Fact]
    public async Task TenSecondsOfATwoPageCallBecomeFilesFfprobeReads()
    {
        await using var call = await TwoPartyCall.StartAsync(chromium, output, "rec-ward");
        await call.WaitForMediaAsync(TimeSpan.FromSeconds(15));
        using var http = new HttpClient { BaseAddress = new Uri(call.Server.BaseUrl) };

        // Without consent the server refuses, naming who has not consented. Dr A consents in the page; Dr B's
        // consent is then recorded by an operator with a reason.
        using (HttpResponseMessage refused = await http.PostAsync("/api/rooms/rec-ward/recordings", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("consent-missing", await refused.Content.ReadAsStringAsync());
        }
        await call.PageA.ClickAsync("#consent");
        await call.PageA.WaitForSelectorAsync("#consent:disabled");
        using (HttpResponseMessage refused = await http.PostAsync("/api/rooms/rec-ward/recordings", null))
        {
            string body = await refused.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("Dr B", body);
            Assert.DoesNotContain("Dr A", body);
        }

        var clock = Stopwatch.StartNew();
        using HttpResponseMessage started = await http.PostAsJsonAsync("/api/rooms/rec-ward/recordings",
            new { @operator = "Nurse Li", reason = "written consent form on file" });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        string id = (string)(await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        // Both pages show that the consultation is being recorded.
        await call.PageA.WaitForSelectorAsync("#recording:not([hidden])");
        await call.PageB.WaitForSelectorAsync("#recording:not([hidden])");
        await Task.Delay(TimeSpan.FromSeconds(10) - clock.Elapsed);
        double wallSeconds = clock.Elapsed.TotalSeconds; // from the start request to the stop request
        using HttpResponseMessage stopped = await http.PostAsync($"/api/recordings/{id}/stop", null);
        Assert.Equal(HttpStatusCode.OK, stopped.StatusCode);
        await call.PageA.WaitForSelectorAsync("#recording", new() { State = Microsoft.Playwright.WaitForSelectorState.Hidden });

        RecordingManager manager = call.Server.Services.GetRequiredService<RecordingManager>();
        await manager.Finalizing(id)!.WaitAsync(TimeSpan.FromSeconds(60));
        JsonObject recording = (await http.GetFromJsonAsync<JsonObject>($"/api/recordings/{id}"))!;
        output.WriteLine(recording.ToJsonString());
        Assert.Equal("complete", (string?)recording["state"]);
        Assert.True((bool)recording["encrypted"]!);
        string[] names = [.. recording["files"]!.AsArray().Select(f => (string)f!["name"]!)];
        Assert.Contains("room.mkv", names);
        Assert.Equal(3, names.Length); // the room and one file per participant

        string directory = Path.Combine(Path.GetTempPath(), "mr-rec-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            foreach (string name in names)
            {
                string path = Path.Combine(directory, name);
                await File.WriteAllBytesAsync(path, await http.GetByteArrayAsync($"/api/recordings/{id}/files/{name}"));
                using JsonDocument probe = Ffprobe.Probe(path);
                JsonElement[] streams = [.. probe.RootElement.GetProperty("streams").EnumerateArray()];
                double duration = Ffprobe.Number(probe.RootElement.GetProperty("format"), "duration");
                output.WriteLine($"{name}: {streams.Length} streams, {duration:F2} s (wall clock {wallSeconds:F2} s), " +
                    string.Join(", ", streams.Select(s => $"{s.GetProperty("codec_name").GetString()} from {Ffprobe.Number(s, "start_time"):F3} s")));
                JsonElement[] videos = [.. streams.Where(s => s.GetProperty("codec_type").GetString() == "video")];
                JsonElement[] audios = [.. streams.Where(s => s.GetProperty("codec_type").GetString() == "audio")];
                Assert.All(videos, v => Assert.Equal("vp8", v.GetProperty("codec_name").GetString()));
                Assert.All(audios, a => Assert.Equal("opus", a.GetProperty("codec_name").GetString()));
                Assert.Equal(name == "room.mkv" ? 2 : 1, videos.Length);
                Assert.Equal(name == "room.mkv" ? 2 : 1, audios.Length);
                Assert.InRange(duration, wallSeconds - 0.5, wallSeconds + 0.5);
                // Every participant's audio and video are there from the start (the recorder keeps each simulcast
                // layer and takes the best one flowing, so a top layer that starts late loses nothing).
                Assert.All(streams, s => Assert.True(Ffprobe.Number(s, "start_time") <= 0.5,
                    $"{name}: a {s.GetProperty("codec_name").GetString()} stream starts at {Ffprobe.Number(s, "start_time"):F2} s"));
                Assert.True(Ffprobe.DecodeErrors(path) is var errors && errors.Length == 0, errors); // Opus unwrapped from RED, VP8 whole
                if (name != "room.mkv")
                {
                    double skew = Math.Abs(Ffprobe.Number(videos[0], "start_time") - Ffprobe.Number(audios[0], "start_time"));
                    Assert.True(skew <= 0.040, $"{name}: audio and video start {skew * 1000:F0} ms apart");
                }
            }
            Assert.Contains(manager.Catalog.AuditTrail(id), a => a.Action == "download");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
