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
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "MediaRelay.Server.dll"),
                "--environment", "Development", "--urls", "http://127.0.0.1:0",
                "--MediaRelay:Media:Port=0", "--MediaRelay:DataDirectory=" + data.Path,
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        using Process server = Process.Start(start)!;
        try
        {
            string baseUrl = await ReadBaseUrlAsync(server, TimeSpan.FromSeconds(60));
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
            string metrics = await http.GetStringAsync("/metrics");

            Assert.Contains("mediarelay_dropped_packets_total", metrics);
            Assert.Contains("mediarelay_received_packets_total", metrics);
            Assert.Contains("mediarelay_rooms", metrics);
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
