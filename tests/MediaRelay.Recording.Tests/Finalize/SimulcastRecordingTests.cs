using System.Globalization;
using System.Text.Json;
using MediaRelay.Recording.Finalize;
using MediaRelay.Recording.Native;

namespace MediaRelay.Recording.Tests.Finalize;

/// <summary>
/// A simulcast camera recorded as one journal per layer (320x240 on top, 160x120 below; key frames each second)
/// becomes one video stream that always shows the best layer the publisher was sending: the lower layer while the
/// top one has not started yet, the top one from its first key frame, the lower one again (from its next key frame)
/// while the encoder pauses the top layer, and every frame decodes.
/// </summary>
[Collection(FfmpegInputsCollection.Name)]
public sealed class SimulcastRecordingTests(FfmpegInputs inputs)
{
    private const uint LowSsrc = 0x0C0C0C0C, TopSsrc = 0x0D0D0D0D;

    [Fact]
    public void A_top_layer_that_starts_late_takes_over_at_its_first_key_frame()
    {
        string file = Finalize("late-top", topStartAt: 1_000_000);

        (double Pts, int Width)[] frames = VideoFrames(file);
        Assert.Equal(160, frames[0].Width);
        Assert.True(frames[0].Pts <= 0.05, $"video starts at {frames[0].Pts:F3} s");
        Assert.All(frames.Where(f => f.Pts < 0.98), f => Assert.Equal(160, f.Width));
        Assert.All(frames.Where(f => f.Pts > 1.02), f => Assert.Equal(320, f.Width));
        Assert.InRange(frames.Length, 88, 91); // every frame time has a frame, from one layer or the other
    }

    [Fact]
    public void A_paused_top_layer_is_replaced_by_the_lower_one_from_its_next_key_frame_and_resumes()
    {
        string file = Finalize("paused-top", topStartAt: 0, pauseFrom: 500_000, pauseUntil: 2_000_000);

        (double Pts, int Width)[] frames = VideoFrames(file);
        Assert.All(frames.Where(f => f.Pts < 0.48), f => Assert.Equal(320, f.Width));
        Assert.All(frames.Where(f => f.Pts is > 0.98 and < 1.98), f => Assert.Equal(160, f.Width)); // the low layer's key frame at 1 s
        Assert.All(frames.Where(f => f.Pts > 2.02), f => Assert.Equal(320, f.Width)); // the top layer's key frame at 2 s
        double largestGap = frames.Zip(frames.Skip(1), (a, b) => b.Pts - a.Pts).Max();
        Assert.InRange(largestGap, 0.5, 0.56); // only the wait for the lower layer's key frame
    }

    private string Finalize(string name, long topStartAt, long pauseFrom = long.MaxValue, long pauseUntil = long.MaxValue)
    {
        string journals = inputs.OutputPath(name);
        JournalFromMedia.Write(inputs.Vp8Opus, journals, key: null);
        File.Delete(Path.Combine(journals, "video.mrj")); // replaced by the two layers of the same camera
        JournalFromMedia.WriteVideoLayer(inputs.Vp8Low, Path.Combine(journals, "video-l0.mrj"), LowSsrc, layer: 0);
        JournalFromMedia.WriteVideoLayer(inputs.Vp8Opus, Path.Combine(journals, "video-l1.mrj"), TopSsrc, layer: 1, topStartAt, pauseFrom, pauseUntil);

        FinalizedRecording result = new RecordingFinalizer([], outputKey: null).Finalize(journals, inputs.OutputPath(name + "-files"));

        Assert.Equal(2, result.Tracks.Count); // one audio, one video made of both layers
        FinalizedFile participant = result.Files.Single(f => f.Scope == "participant");
        Assert.Equal("", FfmpegTool.DecodeErrors(participant.Path));
        return participant.Path;
    }

    /// <summary>Each decoded video frame's time and width (ffprobe -show_frames).</summary>
    private static (double Pts, int Width)[] VideoFrames(string path)
    {
        var (exitCode, output, error) = FfmpegTool.Run("ffprobe", "-v", "error", "-select_streams", "v", "-show_frames",
            "-show_entries", "frame=pts_time,width", "-of", "json", path);
        Assert.True(exitCode == 0, error);
        using JsonDocument document = JsonDocument.Parse(output);
        return [.. document.RootElement.GetProperty("frames").EnumerateArray().Select(f =>
            (double.Parse(f.GetProperty("pts_time").GetString()!, CultureInfo.InvariantCulture), f.GetProperty("width").GetInt32()))];
    }
}
