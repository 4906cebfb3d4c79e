using System.Diagnostics;
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
/// While a two-page call records, Dr B's network drops for 500 ms (the relay passes nothing either way) and comes
/// back. The result is one recording, still one file per participant, and Dr B's file is one continuous timeline: it
/// lasts as long as the recording, its audio has no hole (the gap is bridged with silence), and its video goes on
/// after the drop and ends with the audio.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class RecordingNetworkDropTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    [Fact]
    public async Task HalfASecondNetworkDrop_LeavesOneContinuousRecording()
    {
        await using var call = await TwoPartyCall.StartAsync(chromium, output, "drop-ward");
        await call.WaitForMediaAsync(TimeSpan.FromSeconds(15));
        using var http = new HttpClient { BaseAddress = new Uri(call.Server.BaseUrl) };
        int[] portsB = await call.PageB.EvaluateAsync<int[]>(
            "async () => { const ports = []; for (const pc of window.__peerConnections) { (await pc.getStats())" +
            ".forEach(r => { if (r.type === 'local-candidate') ports.push(r.port); }); } return ports; }");

        var clock = Stopwatch.StartNew();
        string id = await RecordingApi.StartWithOperatorConsentAsync(http, "drop-ward");
        await Task.Delay(TimeSpan.FromSeconds(4) - clock.Elapsed);
        double dropAt = clock.Elapsed.TotalSeconds;
        call.Relay.Silence(portsB);
        await Task.Delay(500);
        call.Relay.Unsilence(portsB);
        output.WriteLine($"Dr B's network dropped from {dropAt:F2} s to {clock.Elapsed.TotalSeconds:F2} s");
        await Task.Delay(TimeSpan.FromSeconds(10) - clock.Elapsed);
        double wallSeconds = clock.Elapsed.TotalSeconds;
        using (HttpResponseMessage stopped = await http.PostAsync($"/api/recordings/{id}/stop", null))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, stopped.StatusCode);
        }
        await call.Server.Services.GetRequiredService<RecordingManager>().Finalizing(id)!.WaitAsync(TimeSpan.FromSeconds(60));

        JsonArray recordings = (await http.GetFromJsonAsync<JsonArray>("/api/recordings?room=drop-ward"))!;
        Assert.Single(recordings); // the drop did not end the recording or start a second one
        JsonObject recording = await RecordingApi.GetAsync(http, id);
        Assert.Equal("complete", (string?)recording["state"]);
        Assert.Equal(3, RecordingApi.FileNames(recording).Length);
        string directory = Path.Combine(Path.GetTempPath(), "mr-drop-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            string[] files = await RecordingApi.DownloadAsync(http, id, recording, directory);
            string fileB = Assert.Single(files, f => Path.GetFileName(f).StartsWith("participant-DrB", StringComparison.Ordinal));
            using JsonDocument probe = Ffprobe.Probe(fileB, packets: true);
            int videoIndex = Ffprobe.Streams(probe, "video").Single().GetProperty("index").GetInt32();
            int audioIndex = Ffprobe.Streams(probe, "audio").Single().GetProperty("index").GetInt32();
            double[] video = Ffprobe.PacketTimes(probe, videoIndex);
            double[] audio = Ffprobe.PacketTimes(probe, audioIndex);
            double duration = Ffprobe.Duration(probe);
            (double videoGap, double videoGapAt) = MaxGap(video);
            (double audioGap, double audioGapAt) = MaxGap(audio);
            output.WriteLine($"Dr B: {duration:F2} s of {wallSeconds:F2} s; video {video.Length} packets {video[0]:F3}-{video[^1]:F3} s, " +
                $"largest gap {videoGap * 1000:F0} ms at {videoGapAt:F3} s; audio {audio.Length} packets {audio[0]:F3}-{audio[^1]:F3} s, " +
                $"largest gap {audioGap * 1000:F0} ms at {audioGapAt:F3} s");

            Assert.InRange(duration, wallSeconds - 0.5, wallSeconds + 0.5);
            Assert.True(Ffprobe.DecodeErrors(fileB) is var errors && errors.Length == 0, errors);
            Assert.True(audioGap <= 0.025, $"the audio has a {audioGap * 1000:F0} ms hole");
            Assert.True(videoGap <= 1.5, $"the video stops for {videoGap * 1000:F0} ms");
            Assert.True(Math.Abs(video[^1] - audio[^1]) <= 0.2, $"video ends at {video[^1]:F2} s, audio at {audio[^1]:F2} s");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The largest step between consecutive packet times, and the time it starts at.</summary>
    private static (double Gap, double At) MaxGap(double[] times)
    {
        (double gap, double at) = (0, 0);
        for (int i = 1; i < times.Length; i++)
        {
            if (times[i] - times[i - 1] > gap)
            {
                (gap, at) = (times[i] - times[i - 1], times[i - 1]);
            }
        }
        return (gap, at);
    }
}
