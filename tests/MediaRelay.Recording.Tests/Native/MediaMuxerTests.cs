using System.Text.Json;
using MediaRelay.Testing;

namespace MediaRelay.Recording.Native;

[Collection(FfmpegInputsCollection.Name)]
public sealed class MediaMuxerTests
{
    private readonly FfmpegInputs inputs;

    public MediaMuxerTests(FfmpegInputs inputs)
    {
        this.inputs = inputs;
    }

    [Theory]
    [InlineData(MediaContainer.Webm, "two.webm")]
    [InlineData(MediaContainer.Mp4, "two.mp4")]
    public void AFileFinishedAfterTwoFramesIsValid(MediaContainer container, string name)
    {
        string? input = container == MediaContainer.Mp4 ? inputs.H264Opus : inputs.Vp8Opus;
        if (input is null)
        {
            return;
        }

        string output = inputs.OutputPath(name);
        using (var demuxer = new MediaDemuxer(input))
        using (var muxer = new MediaMuxer(output, container))
        {
            MediaStreamInfo video = demuxer.Streams.Single(s => s.Kind == MediaKind.Video);
            MediaStreamInfo audio = demuxer.Streams.Single(s => s.Kind == MediaKind.Audio);
            int videoOut = muxer.AddVideo(video.Codec, video.Width, video.Height);
            int audioOut = muxer.AddAudio(MediaCodec.Opus, 48000, audio.Channels);
            muxer.Begin();
            int videoFrames = 0, audioFrames = 0;
            while ((videoFrames < 2 || audioFrames < 2) && demuxer.TryRead(out MediaPacket packet))
            {
                if (packet.Stream == video.Index && videoFrames < 2)
                {
                    muxer.Write(videoOut, packet.PtsMicroseconds, packet.IsKeyframe, packet.Data);
                    videoFrames++;
                }
                else if (packet.Stream == audio.Index && audioFrames < 2)
                {
                    muxer.Write(audioOut, packet.PtsMicroseconds, true, packet.Data);
                    audioFrames++;
                }
            }

            muxer.Finish();
        }

        using JsonDocument probe = FfmpegTool.Probe(output);
        JsonElement[] streams = probe.RootElement.GetProperty("streams").EnumerateArray().ToArray();
        Assert.Equal(2, streams.Length);
        Assert.All(streams, s => Assert.Equal("2", s.GetProperty("nb_read_packets").GetString()));
        Assert.Equal(string.Empty, FfmpegTool.DecodeErrors(output));
    }

    [Fact]
    public void AnUnwritablePathThrowsAClearException()
    {
        var exception = Assert.Throws<MediaMuxerException>(() => new MediaMuxer("/nonexistent-directory/x.webm", MediaContainer.Webm));
        Assert.Contains("/nonexistent-directory/x.webm", exception.Message);
        Assert.Contains("No such file or directory", exception.Message);
        Assert.True(exception.ErrorCode < 0);
    }

    [Fact]
    public void AnUnknownContainerThrowsAClearException()
    {
        var exception = Assert.Throws<MediaMuxerException>(() => new MediaMuxer(inputs.OutputPath("x.bin"), (MediaContainer)42));
        Assert.Contains("unknown container '42'", exception.Message);
    }

    [Fact]
    public void ACodecTheContainerCannotCarryThrows()
    {
        using var muxer = new MediaMuxer(inputs.OutputPath("h264.webm"), MediaContainer.Webm);
        var exception = Assert.Throws<MediaMuxerException>(() => muxer.AddVideo(MediaCodec.H264, 320, 240));
        Assert.Contains("webm does not carry h264", exception.Message);
    }

    [Fact]
    public void AvcCExtradataIsRejected()
    {
        using var muxer = new MediaMuxer(inputs.OutputPath("avcc.mp4"), MediaContainer.Mp4);
        var exception = Assert.Throws<MediaMuxerException>(() => muxer.AddVideo(MediaCodec.H264, 320, 240, new byte[] { 1, 0x42, 0xc0, 0x1e }));
        Assert.Contains("Annex B", exception.Message);
    }

    [Fact]
    public void WritingBeforeBeginThrows()
    {
        using var muxer = new MediaMuxer(inputs.OutputPath("early.webm"), MediaContainer.Webm);
        int stream = muxer.AddVideo(MediaCodec.Vp8, 320, 240);
        var exception = Assert.Throws<MediaMuxerException>(() => muxer.Write(stream, 0, true, new byte[] { 1, 2, 3 }));
        Assert.Contains("begin", exception.Message);
    }

    [Fact]
    public void FinishingH264WithoutParameterSetsThrows()
    {
        using var muxer = new MediaMuxer(inputs.OutputPath("nosps.mp4"), MediaContainer.Mp4);
        int stream = muxer.AddVideo(MediaCodec.H264, 320, 240);
        muxer.Begin();
        muxer.Write(stream, 0, false, new byte[] { 0, 0, 0, 1, 0x41, 0x9a, 0x00 }); // a P slice: dropped
        var exception = Assert.Throws<MediaMuxerException>(muxer.Finish);
        Assert.Contains("SPS/PPS", exception.Message);
    }

    [Theory]
    [InlineData(MediaContainer.Mp4, "garbage.mp4")]
    [InlineData(MediaContainer.Matroska, "garbage.mkv")]
    public void GarbageH264NeverCrashesTheProcess(MediaContainer container, string name)
    {
        var random = new Random(6);
        using var muxer = new MediaMuxer(inputs.OutputPath(name), container);
        int video = muxer.AddVideo(MediaCodec.H264, 320, 240);
        int audio = muxer.AddAudio(MediaCodec.Opus, 48000, 2);
        muxer.Begin();
        byte[] buffer = new byte[512];
        try
        {
            for (int i = 0; i < 300; i++)
            {
                int length = random.Next(1, buffer.Length);
                random.NextBytes(buffer.AsSpan(0, length));
                for (int nal = 0; nal + 5 < length; nal += random.Next(5, 64))
                {
                    buffer[nal] = 0;
                    buffer[nal + 1] = 0;
                    buffer[nal + 2] = 1;
                    buffer[nal + 3] = (byte)(0x60 | random.Next(1, 24)); // SPS, PPS, IDR, slices...
                }

                muxer.Write(i % 3 == 0 ? audio : video, i * 10_000L, random.Next(2) == 0, buffer.AsSpan(0, length));
            }

            muxer.Finish();
        }
        catch (MediaMuxerException exception)
        {
            Assert.True(exception.ErrorCode < 0); // a clean error is fine; a crash or hang is not
        }
    }

    [Fact]
    public void WriteDoesNotAllocate()
    {
        using var muxer = new MediaMuxer(inputs.OutputPath("alloc.webm"), MediaContainer.Webm);
        int stream = muxer.AddVideo(MediaCodec.Vp8, 320, 240);
        muxer.Begin();
        long pts = 0;
        WriteFrames(muxer, stream, ref pts, 1_000);

        long allocated = AllocationMeter.Measure(() => WriteFrames(muxer, stream, ref pts, 10_000));

        muxer.Finish();
        Assert.Equal(0, allocated);
    }

    private static void WriteFrames(MediaMuxer muxer, int stream, ref long pts, int count)
    {
        ReadOnlySpan<byte> frame = stackalloc byte[64];
        for (int i = 0; i < count; i++)
        {
            muxer.Write(stream, pts += 33_333, true, frame);
        }
    }
}
