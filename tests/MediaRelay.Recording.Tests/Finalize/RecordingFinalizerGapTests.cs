using MediaRelay.Recording.Finalize;
using MediaRelay.Recording.Media;
using MediaRelay.Recording.Native;

namespace MediaRelay.Recording.Tests.Finalize;

/// <summary>
/// Audio holes in real VP8 + Opus journals (3 s, a 440 Hz sine): a 500 ms network drop is filled with Opus silence
/// in every file, so the audio packets are contiguous, the audio lasts as long as it did without the drop, the
/// silence decodes to zeros between real audio, and video is untouched; a timestamp jump beyond the cap stays a hole.
/// </summary>
[Collection(FfmpegInputsCollection.Name)]
public sealed class RecordingFinalizerGapTests(FfmpegInputs inputs)
{
    private const double Frame = 0.020;

    [Fact]
    public void A_500_ms_audio_drop_is_bridged_with_silence_in_every_file()
    {
        FinalizedRecording reference = Finalize("intact", dropFrom: long.MaxValue, dropUntil: long.MaxValue);
        FinalizedRecording dropped = Finalize("dropped", dropFrom: 1_000_000, dropUntil: 1_500_000);

        FinalizedTrack audio = dropped.Tracks.Single(t => t.Kind == "audio");
        Assert.Equal(25, audio.LostPackets);
        Assert.Equal(1, audio.GapsBridged);
        Assert.Equal(0, audio.GapsLeft);
        Assert.Equal(25, audio.SilenceFrames);
        Assert.Equal(500, audio.Silence.TotalMilliseconds, tolerance: 0.5);
        Assert.Equal(0, reference.Tracks.Single(t => t.Kind == "audio").SilenceFrames);
        Assert.Equal(0, dropped.Tracks.Single(t => t.Kind == "video").SilenceFrames);

        foreach (FinalizedFile file in dropped.Files)
        {
            List<ProbedPacket> packets = ProbedPacket.Read(file.Path);
            List<ProbedPacket> intact = ProbedPacket.Read(reference.Files.Single(f => f.Name == file.Name).Path);
            ProbedPacket[] sound = [.. packets.Where(p => p.Kind == "audio")];
            ProbedPacket[] intactSound = [.. intact.Where(p => p.Kind == "audio")];

            double largest = sound.Zip(sound.Skip(1), (a, b) => b.Pts - a.Pts).Max();
            Assert.True(largest <= Frame * 1.5, $"{file.Name}: audio pts jump {largest * 1000:F1} ms");
            Assert.Equal(Span(intactSound), Span(sound), tolerance: 0.001);
            Assert.Equal(intactSound.Length, sound.Length);
            Assert.Equal(25, sound.Count(p => p.Size == 3)); // the silence packets: TOC + 0xFF 0xFE
            Assert.Equal(Pts(intact, "video"), Pts(packets, "video"));
            Assert.Equal("", FfmpegTool.DecodeErrors(file.Path));
        }
    }

    [Theory]
    [InlineData("opus")]
    [InlineData("libopus")]
    public void The_bridged_silence_decodes_to_zeros_between_real_audio(string decoder)
    {
        FinalizedRecording dropped = Finalize("decoded-" + decoder, dropFrom: 1_000_000, dropUntil: 1_500_000);
        string file = dropped.Files.Single(f => f.Name.EndsWith(".webm", StringComparison.Ordinal)).Path;
        ProbedPacket[] sound = [.. ProbedPacket.Read(file).Where(p => p.Kind == "audio")];
        double first = sound[0].Pts;
        double silenceFrom = sound.First(p => p.Size == 3).Pts - first;
        double silenceUntil = sound.Last(p => p.Size == 3).Pts + Frame - first;
        Assert.Equal(0.5, silenceUntil - silenceFrom, tolerance: 0.001);

        short[] pcm = DecodeMono(file, decoder);
        Assert.InRange(pcm.Length / 48_000.0, Span(sound) - 0.03, Span(sound) + 0.001);
        // The last real frame's tail (CELT's 2.5 ms overlap, then the de-emphasis filter) fades out over the first
        // ~5 ms of the first silence frame (measured: from ~1500 to 1 at 5 ms); from there on, exact zeros.
        Assert.Equal(0, Peak(pcm, silenceFrom + 0.010, silenceUntil - 0.002));
        Assert.True(Peak(pcm, silenceFrom - 0.2, silenceFrom) > 1000, "real audio before the hole");
        Assert.True(Peak(pcm, silenceUntil + 0.02, silenceUntil + 0.2) > 1000, "real audio after the hole");
    }

    [Fact]
    public void A_timestamp_jump_beyond_the_cap_is_left_as_a_hole()
    {
        long jump = OpusGapFill.MaxGapMicroseconds + 60_000_000; // 11 minutes
        string journals = inputs.OutputPath("jump");
        string output = inputs.OutputPath("jump-files");
        JournalFromMedia.Write(inputs.Vp8Opus, journals, key: null, audioJumpAt: 1_500_000, audioJumpMicros: jump);

        FinalizedRecording result = new RecordingFinalizer([], outputKey: null).Finalize(journals, output);

        FinalizedTrack audio = result.Tracks.Single(t => t.Kind == "audio");
        Assert.Equal(1, audio.GapsLeft);
        Assert.Equal(0, audio.GapsBridged);
        Assert.Equal(0, audio.SilenceFrames);
        Assert.Equal(TimeSpan.Zero, audio.Silence);
        ProbedPacket[] sound = [.. ProbedPacket.Read(result.Files.Single(f => f.Name == "room.mkv").Path).Where(p => p.Kind == "audio")];
        Assert.DoesNotContain(sound, p => p.Size == 3);
        double largest = sound.Zip(sound.Skip(1), (a, b) => b.Pts - a.Pts).Max();
        Assert.InRange(largest, jump / 1e6, jump / 1e6 + 0.05);
    }

    private FinalizedRecording Finalize(string name, long dropFrom, long dropUntil)
    {
        string journals = inputs.OutputPath(name);
        string output = inputs.OutputPath(name + "-files");
        JournalFromMedia.Write(inputs.Vp8Opus, journals, key: null, dropAudioFrom: dropFrom, dropAudioUntil: dropUntil);
        return new RecordingFinalizer([], outputKey: null).Finalize(journals, output);
    }

    /// <summary>From the first packet's start to the last one's end (each Opus packet here is 20 ms).</summary>
    private static double Span(ProbedPacket[] sound) => sound[^1].Pts + Frame - sound[0].Pts;

    private static double[] Pts(List<ProbedPacket> packets, string kind) => [.. packets.Where(p => p.Kind == kind).Select(p => p.Pts)];

    private short[] DecodeMono(string file, string decoder)
    {
        string pcm = inputs.OutputPath("decoded.pcm");
        FfmpegTool.Ffmpeg("-c:a", decoder, "-i", file, "-map", "0:a", "-ac", "1", "-f", "s16le", pcm);
        byte[] bytes = File.ReadAllBytes(pcm);
        var samples = new short[bytes.Length / 2];
        Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 2);
        return samples;
    }

    private static int Peak(short[] pcm, double from, double until)
    {
        int peak = 0;
        for (int i = Math.Max(0, (int)(from * 48_000)); i < Math.Min(pcm.Length, (int)(until * 48_000)); i++)
        {
            peak = Math.Max(peak, Math.Abs((int)pcm[i]));
        }
        return peak;
    }
}
