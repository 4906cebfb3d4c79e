using System.Text.Json;
using MediaRelay.Recording.Crypto;
using MediaRelay.Recording.Finalize;
using MediaRelay.Recording.Native;

namespace MediaRelay.Recording.Tests.Finalize;

/// <summary>
/// Journals of real VP8 + Opus (3 s, ffmpeg-encoded, packetized as a browser sends them) finalized into files that
/// ffprobe reads: the expected codecs, the duration, audio and video starting together; after a crash at most the
/// last second is lost; with a key the files are sealed at rest and decrypt to the same media.
/// </summary>
[Collection(FfmpegInputsCollection.Name)]
public sealed class RecordingFinalizerTests(FfmpegInputs inputs)
{
    private string NewDirectory(string name) => inputs.OutputPath(name);

    [Fact]
    public void A_participants_journals_become_a_room_file_and_a_participant_file_in_sync()
    {
        string journals = NewDirectory("journals");
        string output = NewDirectory("files");
        JournalFromMedia.Write(inputs.Vp8Opus, journals, key: null);

        FinalizedRecording result = new RecordingFinalizer([], outputKey: null).Finalize(journals, output);

        Assert.Equal(["participant-DrChen.webm", "room.mkv"], result.Files.Select(f => f.Name).Order());
        Assert.InRange(result.Duration.TotalSeconds, 2.8, 3.1);
        Assert.All(result.Tracks, t => Assert.Equal(0, t.LostPackets));
        Assert.Equal(90, result.Tracks.Single(t => t.Kind == "video").Frames);
        foreach (FinalizedFile file in result.Files)
        {
            AssertSynchronizedVp8Opus(file.Path, expectedSeconds: 3.0);
        }
    }

    [Fact]
    public void Opus_sent_inside_RED_as_browsers_send_it_becomes_the_plain_Opus_frames()
    {
        string plain = NewDirectory("plain-opus");
        string red = NewDirectory("red-opus");
        JournalFromMedia.Write(inputs.Vp8Opus, plain, key: null);
        JournalFromMedia.Write(inputs.Vp8Opus, red, key: null, red: true);

        FinalizedRecording expected = new RecordingFinalizer([], outputKey: null).Finalize(plain, NewDirectory("plain-files"));
        FinalizedRecording result = new RecordingFinalizer([], outputKey: null).Finalize(red, NewDirectory("red-files"));

        FinalizedTrack audio = result.Tracks.Single(t => t.Kind == "audio");
        Assert.Equal(expected.Tracks.Single(t => t.Kind == "audio").Frames, audio.Frames);
        foreach (FinalizedFile file in result.Files)
        {
            AssertSynchronizedVp8Opus(file.Path, expectedSeconds: 3.0); // decodes without an error
            string twin = expected.Files.Single(f => f.Name == file.Name).Path;
            Assert.Equal(AudioPacketSizes(twin), AudioPacketSizes(file.Path)); // the primary frames, not RED blocks
        }
    }

    [Theory]
    [InlineData(100_000, 3.0)]   // first key frame 1.0 s after the audio: shown from the first audio frame
    [InlineData(1_100_000, 2.0)] // first key frame 2.0 s after: audio begins 1 s before it (MaxVideoLead)
    public void A_late_first_key_frame_is_shown_from_the_audio_start_at_most_a_second_early(long dropVideoBefore, double expectedSeconds)
    {
        string journals = NewDirectory("late-key-" + dropVideoBefore);
        JournalFromMedia.Write(inputs.Vp8Opus, journals, key: null, dropVideoBefore: dropVideoBefore);

        FinalizedRecording result = new RecordingFinalizer([], outputKey: null).Finalize(journals, NewDirectory("late-key-files-" + dropVideoBefore));

        foreach (FinalizedFile file in result.Files)
        {
            AssertSynchronizedVp8Opus(file.Path, expectedSeconds); // starts within 40 ms, lasts as long as the audio kept
            List<ProbedPacket> packets = ProbedPacket.Read(file.Path);
            ProbedPacket[] video = [.. packets.Where(p => p.Kind == "video")];
            Assert.Equal(video[0].Pts, packets.Where(p => p.Kind == "audio").Min(p => p.Pts), tolerance: 0.010);
            // The key frame stands from the start until the next frame, one second and one frame later.
            Assert.InRange(video[1].Pts - video[0].Pts, 0.98, 1.06);
        }
    }

    [Fact]
    public void Audio_that_begins_after_the_first_key_frame_is_led_in_with_silence_and_no_video_is_lost()
    {
        // The camera's first key frame (t = 0) comes 300 ms before the first audio that reaches the server.
        string journals = NewDirectory("late-audio");
        JournalFromMedia.Write(inputs.Vp8Opus, journals, key: null, dropAudioFrom: long.MinValue, dropAudioUntil: 300_000);

        FinalizedRecording result = new RecordingFinalizer([], outputKey: null).Finalize(journals, NewDirectory("late-audio-files"));

        FinalizedTrack audio = result.Tracks.Single(t => t.Kind == "audio");
        Assert.Equal(1, audio.GapsBridged);
        // In the input, video starts at 6.5 ms and the Opus frames at -6.5 ms + 20 ms steps (pre-skip), so the first
        // audio kept is 313.5 ms, 307 ms after the key frame: 15 x 20 ms, then 5 and 2.5 ms, land within 1.25 ms of it.
        Assert.Equal(17, audio.SilenceFrames);
        Assert.Equal(307.5, audio.Silence.TotalMilliseconds, tolerance: 0.5);
        foreach (FinalizedFile file in result.Files)
        {
            AssertSynchronizedVp8Opus(file.Path, expectedSeconds: 3.0);
            List<ProbedPacket> packets = ProbedPacket.Read(file.Path);
            ProbedPacket[] video = [.. packets.Where(p => p.Kind == "video")];
            ProbedPacket[] sound = [.. packets.Where(p => p.Kind == "audio")];
            Assert.Equal(90, video.Length); // every frame from the key frame on, none squeezed or dropped
            Assert.Equal(video[0].Pts, sound[0].Pts, tolerance: 0.001);
            ProbedPacket[] silence = [.. sound.TakeWhile(p => p.Size <= 3)];
            Assert.Equal(17, silence.Length);
            Assert.Equal(0.307, sound[silence.Length].Pts - sound[0].Pts, tolerance: 0.0015); // then the sound, in place
            Assert.True(sound.Zip(sound.Skip(1), (a, b) => b.Pts - a.Pts).Max() <= 0.021, $"{file.Name}: audio has a hole");
        }
    }

    private static int[] AudioPacketSizes(string path) =>
        [.. ProbedPacket.Read(path).Where(p => p.Kind == "audio").Select(p => p.Size)];

    [Fact]
    public void After_a_crash_the_journals_finalize_with_at_most_the_last_second_lost()
    {
        string journals = NewDirectory("crashed");
        string output = NewDirectory("crashed-files");
        JournalFromMedia.Write(inputs.Vp8Opus, journals, key: null, crashAtMicros: 2_500_000);

        FinalizedRecording result = new RecordingFinalizer([], outputKey: null).Finalize(journals, output);

        Assert.All(result.Tracks, t => Assert.True(t.Truncated));
        Assert.InRange(result.Duration.TotalSeconds, 1.5, 2.5); // recorded up to 2.5 s, sealed at least every second
        using JsonDocument probe = FfmpegTool.Probe(result.Files.Single(f => f.Name == "room.mkv").Path);
        Assert.InRange(FfmpegTool.Number(probe.RootElement.GetProperty("format"), "duration"), 1.5, 2.6);
    }

    [Fact]
    public void With_a_key_journals_and_files_are_sealed_and_an_authorized_read_gets_the_media_back()
    {
        RecordingKey key = RecordingKey.Generate();
        string journals = NewDirectory("sealed");
        string output = NewDirectory("sealed-files");
        JournalFromMedia.Write(inputs.Vp8Opus, journals, key);
        Assert.Throws<RecordingFormatException>(() => new RecordingFinalizer([], null).Finalize(journals, NewDirectory("no-key")));

        FinalizedRecording result = new RecordingFinalizer([key], outputKey: key).Finalize(journals, output);

        FinalizedFile room = result.Files.Single(f => f.Name == "room.mkv");
        Assert.True(room.Encrypted);
        Assert.EndsWith(".enc", room.Path);
        byte[] header = File.ReadAllBytes(room.Path)[..4];
        Assert.Equal("MRCF"u8.ToArray(), header);
        string plain = NewDirectory("plain.mkv");
        using (ChunkedFileReadStream stream = ChunkedFileReadStream.Open(room.Path, [key]))
        using (FileStream file = File.Create(plain))
        {
            stream.CopyTo(file);
        }
        AssertSynchronizedVp8Opus(plain, expectedSeconds: 3.0);
    }

    private static void AssertSynchronizedVp8Opus(string path, double expectedSeconds)
    {
        using JsonDocument probe = FfmpegTool.Probe(path);
        JsonElement[] streams = [.. probe.RootElement.GetProperty("streams").EnumerateArray()];
        JsonElement video = streams.Single(s => s.GetProperty("codec_type").GetString() == "video");
        JsonElement audio = streams.Single(s => s.GetProperty("codec_type").GetString() == "audio");
        Assert.Equal("vp8", video.GetProperty("codec_name").GetString());
        Assert.Equal("opus", audio.GetProperty("codec_name").GetString());
        Assert.Equal(320, video.GetProperty("width").GetInt32());
        double duration = FfmpegTool.Number(probe.RootElement.GetProperty("format"), "duration");
        Assert.InRange(duration, expectedSeconds - 0.5, expectedSeconds + 0.5);
        double start = Math.Abs(FfmpegTool.Number(video, "start_time") - FfmpegTool.Number(audio, "start_time"));
        Assert.True(start <= 0.040, $"audio and video start {start * 1000:F0} ms apart in {Path.GetFileName(path)}");
        Assert.Equal("", FfmpegTool.DecodeErrors(path));
    }
}
