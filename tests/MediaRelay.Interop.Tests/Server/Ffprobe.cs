using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace MediaRelay.Interop.Tests.Server;

/// <summary>Reads a media file with Debian's ffprobe: its streams, its format and, on request, its packets.</summary>
public static class Ffprobe
{
    public static JsonDocument Probe(string path, bool packets = false)
    {
        var info = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, RedirectStandardError = true };
        var args = new List<string> { "-v", "error", "-show_streams", "-show_format", "-of", "json" };
        if (packets)
        {
            args.AddRange(["-show_entries", "packet=stream_index,pts_time,duration_time,flags"]);
            args.Insert(0, "-show_packets");
        }
        args.Add(path);
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }
        using Process process = Process.Start(info)!;
        Task<string> json = process.StandardOutput.ReadToEndAsync();
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "ffprobe failed: " + errors);
        return JsonDocument.Parse(json.Result);
    }

    /// <summary>
    /// Decodes every stream with ffmpeg and returns what it complained about ("" when nothing). Frames keep their own
    /// times and time base (<c>-fps_mode passthrough -enc_time_base -1</c>): a browser's variable frame rate, with two frames closer than the average frame interval, is not an error.
    /// </summary>
    public static string DecodeErrors(string path)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "-v", "error", "-nostdin", "-i", path, "-fps_mode", "passthrough", "-enc_time_base", "-1", "-f", "null", "-" })
        {
            info.ArgumentList.Add(a);
        }
        using Process process = Process.Start(info)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        _ = output.Result;
        return process.ExitCode == 0 ? errors.Trim() : $"exit {process.ExitCode}: {errors.Trim()}";
    }

    public static JsonElement[] Streams(JsonDocument probe, string codecType) =>
        [.. probe.RootElement.GetProperty("streams").EnumerateArray().Where(s => s.GetProperty("codec_type").GetString() == codecType)];

    public static double Duration(JsonDocument probe) => Number(probe.RootElement.GetProperty("format"), "duration");

    /// <summary>Presentation times (seconds) of one stream's packets, in file order.</summary>
    public static double[] PacketTimes(JsonDocument probe, int streamIndex) =>
        [.. probe.RootElement.GetProperty("packets").EnumerateArray()
            .Where(p => p.GetProperty("stream_index").GetInt32() == streamIndex)
            .Select(p => Number(p, "pts_time"))];

    public static double Number(JsonElement element, string property) =>
        element.TryGetProperty(property, out JsonElement value) && double.TryParse(value.GetString(),
            NumberStyles.Float, CultureInfo.InvariantCulture, out double n) ? n : double.NaN;
}
