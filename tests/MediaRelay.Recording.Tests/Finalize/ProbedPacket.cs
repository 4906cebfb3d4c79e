using System.Globalization;
using System.Text.Json;
using MediaRelay.Recording.Native;

namespace MediaRelay.Recording.Tests.Finalize;

/// <summary>One packet as <c>ffprobe -show_packets</c> reports it: stream kind, pts and duration (seconds), size.</summary>
internal readonly record struct ProbedPacket(string Kind, double Pts, double Duration, int Size)
{
    /// <summary>Every packet of the file, in file order.</summary>
    public static List<ProbedPacket> Read(string path)
    {
        var (exitCode, output, error) = FfmpegTool.Run("ffprobe", "-v", "error", "-show_packets", "-show_entries",
            "packet=codec_type,pts_time,duration_time,size", "-of", "json", path);
        Assert.True(exitCode == 0 && error.Length == 0, $"ffprobe {path}: {error}");
        using JsonDocument document = JsonDocument.Parse(output);
        var packets = new List<ProbedPacket>();
        foreach (JsonElement packet in document.RootElement.GetProperty("packets").EnumerateArray())
        {
            packets.Add(new ProbedPacket(packet.GetProperty("codec_type").GetString()!, Number(packet, "pts_time"),
                packet.TryGetProperty("duration_time", out _) ? Number(packet, "duration_time") : 0,
                int.Parse(packet.GetProperty("size").GetString()!, CultureInfo.InvariantCulture)));
        }
        return packets;
    }

    private static double Number(JsonElement element, string property) =>
        double.Parse(element.GetProperty(property).GetString()!, CultureInfo.InvariantCulture);
}
