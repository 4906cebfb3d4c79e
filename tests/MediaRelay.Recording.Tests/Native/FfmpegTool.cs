using System.Diagnostics;
using System.Text.Json;

namespace MediaRelay.Recording.Native;

/// <summary>Runs the ffmpeg / ffprobe command-line tools (Debian package ffmpeg) for the native muxer tests.</summary>
internal static class FfmpegTool
{
    public static (int ExitCode, string Output, string Error) Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {tool}");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} did not finish");
        }

        return (process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }

    public static void Ffmpeg(params string[] arguments)
    {
        var (exitCode, _, error) = Run("ffmpeg", ["-hide_banner", "-v", "error", "-y", .. arguments]);
        Assert.True(exitCode == 0, $"ffmpeg failed: {error}");
    }

    public static bool HasEncoder(string name)
    {
        var (_, output, _) = Run("ffmpeg", "-hide_banner", "-encoders");
        return output.Contains(" " + name + " ", StringComparison.Ordinal);
    }

    /// <summary>ffprobe -show_streams -show_format -count_packets as JSON; fails the test when ffprobe reports errors.</summary>
    public static JsonDocument Probe(string path)
    {
        var (exitCode, output, error) = Run("ffprobe", "-v", "error", "-count_packets", "-show_streams", "-show_format", "-of", "json", path);
        Assert.True(exitCode == 0 && error.Length == 0, $"ffprobe {path}: {error}");
        return JsonDocument.Parse(output);
    }

    /// <summary>Decodes every frame; returns ffmpeg's error output (empty for a clean file).</summary>
    public static string DecodeErrors(string path)
    {
        // Frames keep their own times: a variable frame rate (a frozen picture, a layer switch) is not an error.
        var (exitCode, _, error) = Run("ffmpeg", "-hide_banner", "-v", "error", "-i", path, "-fps_mode", "passthrough", "-enc_time_base", "-1",
            "-f", "null", "-");
        return exitCode == 0 ? error : $"exit {exitCode}: {error}";
    }

    public static double Number(JsonElement element, string property) =>
        double.Parse(element.GetProperty(property).GetString()!, System.Globalization.CultureInfo.InvariantCulture);
}
