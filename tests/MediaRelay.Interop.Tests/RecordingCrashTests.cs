using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaRelay.Interop.Tests.Chromium;
using MediaRelay.Interop.Tests.Server;
using Xunit.Abstractions;

namespace MediaRelay.Interop.Tests;

/// <summary>
/// The server process is killed with SIGKILL while it records a two-page call: nothing runs on the way down. Started
/// again on the same data directory, it finds the recording the catalog still calls "recording", finalizes its
/// journals and audits it. The files it makes cover the recorded time but at most the last second (the journals are
/// sealed at least once a second), with the expected streams.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class RecordingCrashTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    [Fact]
    public async Task KilledMidRecording_TheRestartFinalizesTheArchiveWithAtMostOneSecondLost()
    {
        string data = Path.Combine(Path.GetTempPath(), "mr-crash-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            string id;
            double recordedSeconds;
            await using (var call = new ProcessCall(chromium, output))
            {
                await using ServerProcess server = await ServerProcess.StartAsync(data);
                await call.JoinAsync(server, "crash-ward", "Dr A", "Dr B");
                var clock = Stopwatch.StartNew();
                id = await RecordingApi.StartWithOperatorConsentAsync(server.Http, "crash-ward");
                await Task.Delay(TimeSpan.FromSeconds(7) - clock.Elapsed);
                recordedSeconds = clock.Elapsed.TotalSeconds;
                await server.KillAsync();
                output.WriteLine($"killed {recordedSeconds:F2} s after the start request; server log:\n{server.Log}");
            }
            string journals = Path.Combine(data, "recordings", id, "journals");
            Assert.True(Directory.GetFiles(journals, "*.mrj").Length >= 4, "the killed server left no journals");

            await using ServerProcess restarted = await ServerProcess.StartAsync(data);
            JsonObject recording = await RecordingApi.WaitUntilSettledAsync(restarted.Http, id, TimeSpan.FromSeconds(90));
            output.WriteLine(recording.ToJsonString());
            Assert.Equal("complete", (string?)recording["state"]);
            Assert.Contains("recovered", RecordingApi.AuditActions(recording));
            Assert.Contains("finalized", RecordingApi.AuditActions(recording));
            // Listed when they began, so known after the crash: each participant's audio and video (one per layer).
            // Counted again from the journals: every participant's audio and video have their packets.
            var recorded = recording["tracks"]!.AsArray()
                .GroupBy(t => ((string)t!["participantName"]!, (string)t["kind"]!))
                .ToDictionary(g => g.Key, g => g.Sum(t => (long)t!["packets"]!));
            Assert.Equal(4, recorded.Count);
            Assert.All(recorded, r => Assert.True(r.Value > (r.Key.Item2 == "audio" ? 250 : 300), $"{r.Key}: {r.Value} packets"));
            // Stopped when the last packet was journaled, not when the server came back.
            var started = DateTimeOffset.Parse((string)recording["startedAt"]!, System.Globalization.CultureInfo.InvariantCulture);
            var stopped = DateTimeOffset.Parse((string)recording["stoppedAt"]!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange((stopped - started).TotalSeconds, recordedSeconds - 1.0, recordedSeconds + 0.5);

            string[] files = await RecordingApi.DownloadAsync(restarted.Http, id, recording, Path.Combine(data, "download"));
            Assert.Equal(3, files.Length); // the room and one file per participant
            foreach (string file in files)
            {
                using JsonDocument probe = Ffprobe.Probe(file);
                double duration = Ffprobe.Duration(probe);
                int videos = Ffprobe.Streams(probe, "video").Length;
                int audios = Ffprobe.Streams(probe, "audio").Length;
                output.WriteLine($"{Path.GetFileName(file)}: {videos} video + {audios} audio, {duration:F2} s of {recordedSeconds:F2} s recorded");
                int expected = Path.GetFileName(file) == "room.mkv" ? 2 : 1;
                Assert.Equal(expected, videos);
                Assert.Equal(expected, audios);
                // At most one second lost; never more than was recorded (plus the first key frame's lead).
                Assert.InRange(duration, recordedSeconds - 1.0, recordedSeconds + 0.5);
                Assert.True(Ffprobe.DecodeErrors(file) is var errors && errors.Length == 0, errors);
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
