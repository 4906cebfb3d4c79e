using System.Diagnostics;
using System.Text.Json;

namespace MediaRelay.Server.Tests;

/// <summary>
/// With <c>--Logging:Console:FormatterName=json</c> (the structured-log option for log shippers) every line the
/// server writes to stdout is one JSON object, the start-up link included.
/// </summary>
public sealed class JsonLogTests
{
    [Fact]
    public async Task Every_stdout_line_is_a_json_log_entry()
    {
        using var data = new TempDirectory();
        using Process server = ServerExecutable.Start(data.Path, "--Logging:Console:FormatterName=json");
        var lines = new List<string>();
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await server.StandardOutput.ReadLineAsync(cancel.Token) is { } line)
            {
                lines.Add(line);
                using JsonDocument entry = JsonDocument.Parse(line); // throws on a line that is not JSON
                Assert.True(entry.RootElement.TryGetProperty("LogLevel", out _), line);
                Assert.True(entry.RootElement.TryGetProperty("Category", out _), line);
                if (entry.RootElement.GetProperty("Message").GetString()!.StartsWith("MediaRelay is running", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
        Assert.Contains(lines, l => l.Contains("/room/consultation?name=Doctor", StringComparison.Ordinal));
    }
}
