namespace MediaRelay.Recording.Native;

/// <summary>
/// Real 3-second inputs encoded once per test run with the ffmpeg CLI: VP8+Opus in WebM and, when libx264 exists,
/// H.264 (constrained baseline, no B-frames, as WebRTC sends it) + Opus in Matroska.
/// </summary>
public sealed class FfmpegInputs : IDisposable
{
    public FfmpegInputs()
    {
        Directory = Path.Combine(Path.GetTempPath(), "mediarelay-native-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Vp8Opus = Path.Combine(Directory, "vp8-opus.webm");
        FfmpegTool.Ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x240:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", "3", "-c:v", "libvpx", "-b:v", "300k", "-g", "30", "-c:a", "libopus", Vp8Opus);
        Vp8Low = Path.Combine(Directory, "vp8-low.webm");
        FfmpegTool.Ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=30", "-t", "3", "-c:v", "libvpx", "-b:v", "100k", "-g", "30", Vp8Low);
        if (FfmpegTool.HasEncoder("libx264"))
        {
            H264Opus = Path.Combine(Directory, "h264-opus.mkv");
            FfmpegTool.Ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x240:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", "3", "-c:v", "libx264", "-profile:v", "baseline", "-bf", "0", "-g", "30", "-pix_fmt", "yuv420p",
                "-c:a", "libopus", H264Opus);
        }
    }

    public string Directory { get; }

    public string Vp8Opus { get; }

    /// <summary>The same 3 s of VP8 at 160x120 and no audio: a lower simulcast layer.</summary>
    public string Vp8Low { get; }

    /// <summary>Null when this ffmpeg has no libx264.</summary>
    public string? H264Opus { get; }

    public string OutputPath(string name) => Path.Combine(Directory, Guid.NewGuid().ToString("N")[..8] + "-" + name);

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("MEDIARELAY_KEEP_TEST_FILES") == "1")
        {
            return; // for inspecting the outputs by hand
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
