using System.Diagnostics;

namespace MediaRelay.Server.Tests;

/// <summary>
/// The server started as its own process from this test build's copy, in Development mode on loopback with
/// ephemeral ports: for what the shared test process cannot show (static metrics untouched, stdout alone).
/// </summary>
internal static class ServerExecutable
{
    public static Process Start(string dataDirectory, params string[] extraArgs)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (string argument in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "MediaRelay.Server.dll"),
                     "--environment", "Development", "--urls", "http://127.0.0.1:0",
                     "--MediaRelay:Media:Port=0", "--MediaRelay:DataDirectory=" + dataDirectory,
                 }.Concat(extraArgs))
        {
            start.ArgumentList.Add(argument);
        }
        return Process.Start(start)!;
    }
}
