using System.Diagnostics;
using System.Text;

namespace MediaRelay.Interop.Tests.Operations;

/// <summary>
/// Debian's <c>promtool</c> (package <c>prometheus</c>, installed by scripts/setup.sh). <c>check config</c> also
/// checks the rule files the configuration names.
/// </summary>
public static class Promtool
{
    public const string DefaultExecutablePath = "/usr/bin/promtool";

    /// <summary>Runs <c>promtool check config FILE</c>; returns its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> CheckConfigAsync(string configPath)
    {
        if (!File.Exists(DefaultExecutablePath))
        {
            throw new InvalidOperationException(
                $"promtool was not found at '{DefaultExecutablePath}': run ./scripts/setup.sh (Debian package 'prometheus').");
        }
        var info = new ProcessStartInfo(DefaultExecutablePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("check");
        info.ArgumentList.Add("config");
        info.ArgumentList.Add(configPath);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("promtool did not start");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var output = new StringBuilder().Append(await stdout).Append(await stderr);
        return (process.ExitCode, output.ToString());
    }
}
