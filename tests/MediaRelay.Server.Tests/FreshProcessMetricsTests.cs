using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MediaRelay.Server.Tests;

/// <summary>
/// /metrics of a server that has not yet seen any traffic, in its own process: inside the test process other tests
/// have already touched the static MediaMetrics, which hides whether the instruments are registered at start-up.
/// </summary>
public partial class FreshProcessMetricsTests
{
    [Fact]
    public async Task Media_metrics_are_exported_before_the_first_packet()
    {
        using var data = new TempDirectory();
        using Process server = ServerExecutable.Start(data.Path);
        try
        {
            string baseUrl = await ReadBaseUrlAsync(server, TimeSpan.FromSeconds(60));
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
            string metrics = await http.GetStringAsync("/metrics");

            // Every series the shipped dashboard and the ops docs rely on, present (as zeros) before any traffic.
            string[] series =
            [
                "mediarelay_dropped_packets_total{reason=\"rtp_malformed\"}", "mediarelay_received_packets_total",
                "mediarelay_received_bytes_total", "mediarelay_sent_packets_total", "mediarelay_sent_bytes_total",
                "mediarelay_forwarded_packets_total", "mediarelay_rooms", "mediarelay_participants{kind=\"webrtc\"}",
                "mediarelay_tracks{kind=\"audio\"}", "mediarelay_tracks{kind=\"video\"}",
                "mediarelay_keyframe_requests_total{type=\"pli\"}", "mediarelay_keyframe_requests_total{type=\"fir\"}",
                "mediarelay_keyframe_requests_received_total{type=\"fir\"}", "mediarelay_nack_received_packets_total",
                "mediarelay_nacked_packets_total", "mediarelay_retransmitted_packets_total",
                "mediarelay_forward_latency_seconds_count", "mediarelay_join_duration_seconds_count",
                "mediarelay_rtt_seconds_count", "mediarelay_jitter_seconds_count{link=\"subscriber\"}",
                "mediarelay_jitter_seconds_count{link=\"publisher\"}", "mediarelay_loss_ratio_count{link=\"subscriber\"}",
                "mediarelay_recording_queue_depth", "mediarelay_recording_bytes_written_total",
                "mediarelay_recording_dropped_packets_total", "mediarelay_allocated_bytes_total", "process_cpu_seconds_total",
                "dotnet_collection_count_total",
            ];
            Assert.All(series, s => Assert.Contains(s, metrics));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    private static async Task<string> ReadBaseUrlAsync(Process server, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (await server.StandardOutput.ReadLineAsync(cancel.Token) is { } line)
        {
            Match m = BaseUrl().Match(line);
            if (line.StartsWith("MediaRelay is running", StringComparison.Ordinal) && m.Success)
            {
                return m.Value;
            }
        }
        throw new InvalidOperationException("The server exited before printing its link: " + await server.StandardError.ReadToEndAsync());
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:[0-9]+")]
    private static partial Regex BaseUrl();
}
