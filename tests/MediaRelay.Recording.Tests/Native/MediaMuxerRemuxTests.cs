using System.Text.Json;

namespace MediaRelay.Recording.Native;

/// <summary>Demuxes real ffmpeg-encoded files, remuxes every packet through <see cref="MediaMuxer"/>, checks with ffprobe.</summary>
[Collection(FfmpegInputsCollection.Name)]
public sealed class MediaMuxerRemuxTests
{
    private readonly FfmpegInputs inputs;

    public MediaMuxerRemuxTests(FfmpegInputs inputs)
    {
        this.inputs = inputs;
    }

    [Theory]
    [InlineData(MediaContainer.Webm, "out.webm", true)]
    [InlineData(MediaContainer.Webm, "out.webm", false)]
    [InlineData(MediaContainer.Matroska, "out.mkv", true)]
    public void Vp8OpusRemuxesIntoAPlayableFile(MediaContainer container, string name, bool passOpusHead)
    {
        string output = inputs.OutputPath(name);
        Remux(inputs.Vp8Opus, output, container, passOpusHead);
        AssertProbe(output, "vp8");
    }

    [Theory]
    [InlineData(MediaContainer.Mp4, "out.mp4", true)]
    [InlineData(MediaContainer.Mp4, "out.mp4", false)]
    [InlineData(MediaContainer.Matroska, "out.mkv", true)]
    public void H264OpusRemuxesIntoAPlayableFile(MediaContainer container, string name, bool passOpusHead)
    {
        if (inputs.H264Opus is null)
        {
            return; // no libx264 in this ffmpeg build
        }

        string output = inputs.OutputPath(name);
        Remux(inputs.H264Opus, output, container, passOpusHead);
        AssertProbe(output, "h264");
    }

    [Fact]
    public void DemuxerReportsTheInputStreams()
    {
        using var demuxer = new MediaDemuxer(inputs.Vp8Opus);
        Assert.Equal(2, demuxer.Streams.Count);
        MediaStreamInfo video = demuxer.Streams.Single(s => s.Kind == MediaKind.Video);
        MediaStreamInfo audio = demuxer.Streams.Single(s => s.Kind == MediaKind.Audio);
        Assert.Equal((MediaCodec.Vp8, "vp8", 320, 240), (video.Codec, video.CodecName, video.Width, video.Height));
        Assert.Equal((MediaCodec.Opus, "opus", 48000, 1), (audio.Codec, audio.CodecName, audio.SampleRate, audio.Channels));
        Assert.Equal("OpusHead"u8.ToArray(), audio.Extradata.AsSpan(0, 8).ToArray());

        int videoPackets = 0, keyframes = 0;
        while (demuxer.TryRead(out MediaPacket packet))
        {
            if (packet.Stream == video.Index)
            {
                videoPackets++;
                keyframes += packet.IsKeyframe ? 1 : 0;
                Assert.False(packet.Data.IsEmpty);
            }
        }

        Assert.Equal(90, videoPackets);
        Assert.Equal(3, keyframes); // -g 30
    }

    [Fact]
    public void DemuxerTurnsAvcCIntoAnnexB()
    {
        if (inputs.H264Opus is null)
        {
            return;
        }

        using var demuxer = new MediaDemuxer(inputs.H264Opus);
        MediaStreamInfo video = demuxer.Streams.Single(s => s.Kind == MediaKind.Video);
        Assert.Equal(1, video.Extradata[0]); // Matroska stores avcC
        while (demuxer.TryRead(out MediaPacket packet))
        {
            if (packet.Stream == video.Index)
            {
                Assert.True(packet.IsKeyframe);
                Assert.True(packet.Data.StartsWith(new byte[] { 0, 0, 0, 1 }) || packet.Data.StartsWith(new byte[] { 0, 0, 1 }));
                return;
            }
        }

        Assert.Fail("no video packet");
    }

    internal static void Remux(string input, string output, MediaContainer container, bool passOpusHead)
    {
        using var demuxer = new MediaDemuxer(input);
        using var muxer = new MediaMuxer(output, container);
        int[] map = new int[demuxer.Streams.Count];
        foreach (MediaStreamInfo stream in demuxer.Streams)
        {
            map[stream.Index] = stream.Kind == MediaKind.Video
                ? muxer.AddVideo(stream.Codec, stream.Width, stream.Height) // H.264: SPS/PPS taken from the first IDR
                : muxer.AddAudio(stream.Codec, stream.SampleRate, stream.Channels, passOpusHead ? stream.Extradata : default);
        }

        muxer.Begin();
        while (demuxer.TryRead(out MediaPacket packet))
        {
            muxer.Write(map[packet.Stream], packet.PtsMicroseconds, packet.IsKeyframe, packet.Data);
        }

        muxer.Finish();
    }

    private static void AssertProbe(string path, string videoCodec)
    {
        using JsonDocument probe = FfmpegTool.Probe(path);
        JsonElement[] streams = probe.RootElement.GetProperty("streams").EnumerateArray().ToArray();
        JsonElement video = streams.Single(s => s.GetProperty("codec_type").GetString() == "video");
        JsonElement audio = streams.Single(s => s.GetProperty("codec_type").GetString() == "audio");
        Assert.Equal(videoCodec, video.GetProperty("codec_name").GetString());
        Assert.Equal(320, video.GetProperty("width").GetInt32());
        Assert.Equal(240, video.GetProperty("height").GetInt32());
        Assert.Equal("opus", audio.GetProperty("codec_name").GetString());
        Assert.Equal("48000", audio.GetProperty("sample_rate").GetString());
        Assert.Equal("90", video.GetProperty("nb_read_packets").GetString());

        double duration = FfmpegTool.Number(probe.RootElement.GetProperty("format"), "duration");
        Assert.InRange(duration, 2.9, 3.1);
        double skew = FfmpegTool.Number(audio, "start_time") - FfmpegTool.Number(video, "start_time");
        Assert.InRange(skew, -0.040, 0.040);
        Assert.Equal(string.Empty, FfmpegTool.DecodeErrors(path));
    }
}
