using System.Diagnostics;
using System.Text.Json.Nodes;
using MediaRelay.Interop.Tests.Chromium;
using MediaRelay.Interop.Tests.Server;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MediaRelay.Interop.Tests;

/// <summary>
/// The server records onto a filesystem of its own that is far too small (a 1 MiB tmpfs, in a private mount
/// namespace). When it fills, the recording stops with an error that says the storage is full, the catalog audits
/// it, the pages' recording indicator goes out, and the call itself goes on: both pages keep decoding video and
/// receiving audio.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class RecordingDiskFullTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    [Fact]
    public async Task DiskFillsUp_RecordingStopsWithAClearErrorAndAuditWhileTheCallGoesOn()
    {
        string data = Path.Combine(Path.GetTempPath(), "mr-full-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using ServerProcess server = await ServerProcess.StartAsync(data, Path.Combine(data, "small-disk"), 1024 * 1024);
            await using var call = new ProcessCall(chromium, output);
            await call.JoinAsync(server, "full-ward", "Dr A", "Dr B");
            string id = await RecordingApi.StartWithOperatorConsentAsync(server.Http, "full-ward");
            foreach (IPage page in call.Pages)
            {
                await page.WaitForSelectorAsync("#recording:not([hidden])");
            }

            var clock = Stopwatch.StartNew();
            JsonObject recording = await RecordingApi.WaitUntilSettledAsync(server.Http, id, TimeSpan.FromSeconds(60));
            output.WriteLine($"settled {clock.Elapsed.TotalSeconds:F1} s after the start: {recording.ToJsonString()}");
            output.WriteLine(server.Log);
            Assert.Equal("failed", (string?)recording["state"]);
            string error = (string)recording["error"]!;
            Assert.Contains("storage is full", error, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(recording["audit"]!.AsArray(), a => (string)a!["action"]! == "failed"
                && ((string?)a["detail"] ?? "").Contains("storage is full", StringComparison.OrdinalIgnoreCase));
            Assert.Contains("disk-full", (string?)recording["stoppedBy"] ?? "");
            Assert.Contains("stop", RecordingApi.AuditActions(recording));
            // The catalog still lists what was recorded up to the failure, track by track.
            // (each participant's audio, and its video as one journal per simulcast layer).
            var recorded = recording["tracks"]!.AsArray()
                .GroupBy(t => ((string)t!["participantName"]!, (string)t["kind"]!))
                .ToDictionary(g => g.Key, g => g.Sum(t => (long)t!["packets"]!));
            output.WriteLine(string.Join(", ", recorded.Select(r => $"{r.Key.Item1} {r.Key.Item2}: {r.Value} packets")));
            Assert.Equal(4, recorded.Count);
            Assert.All(recorded, r => Assert.True(r.Value > 0, $"{r.Key} recorded nothing"));
            string metrics = await server.Http.GetStringAsync("/metrics");
            Assert.Contains("mediarelay_recording_failures_total{reason=\"disk_full\"} 1", metrics);

            // Every page shows that recording stopped, and the call goes on.
            foreach (IPage page in call.Pages)
            {
                await page.WaitForSelectorAsync("#recording", new() { State = WaitForSelectorState.Hidden });
            }
            WebRtcStatsSnapshot[] before = [.. await Task.WhenAll(call.Pages.Select(WebRtcStats.ReadAsync))];
            await Task.Delay(TimeSpan.FromSeconds(3));
            WebRtcStatsSnapshot[] after = [.. await Task.WhenAll(call.Pages.Select(WebRtcStats.ReadAsync))];
            for (int i = 0; i < before.Length; i++)
            {
                output.WriteLine($"page {i}: {before[i].VideoFramesDecoded} -> {after[i].VideoFramesDecoded} frames, " +
                    $"{before[i].AudioPacketsReceived} -> {after[i].AudioPacketsReceived} audio packets");
                Assert.True(after[i].VideoFramesDecoded - before[i].VideoFramesDecoded >= 30, $"page {i} stopped decoding video");
                Assert.True(after[i].AudioPacketsReceived - before[i].AudioPacketsReceived >= 100, $"page {i} stopped receiving audio");
            }
            Assert.False(server.HasExited);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
