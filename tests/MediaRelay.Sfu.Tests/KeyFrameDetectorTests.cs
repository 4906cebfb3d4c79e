namespace MediaRelay.Sfu.Tests;

/// <summary>Codec → keyframe test mapping and the dispatch to the payload descriptor parsers.</summary>
public class KeyFrameDetectorTests
{
    [Theory]
    [InlineData("VP8", KeyFrameFormat.Vp8)]
    [InlineData("vp8", KeyFrameFormat.Vp8)]
    [InlineData("VP9", KeyFrameFormat.Vp9)]
    [InlineData("H264", KeyFrameFormat.H264)]
    [InlineData("h264", KeyFrameFormat.H264)]
    [InlineData("AV1", KeyFrameFormat.None)]
    [InlineData("opus", KeyFrameFormat.None)]
    public void FormatFollowsTheCodecName(string name, KeyFrameFormat expected) =>
        Assert.Equal(expected, KeyFrameDetector.FormatOf(new RtpCodec(96, name, 90000, 0, null)));

    [Fact]
    public void AudioProducerNeverInspectsPayloads()
    {
        // Even if a publisher labelled audio "VP8", an audio producer forwards every packet.
        var producer = new Producer("p", "alice", MediaKind.Audio, TrackSource.Microphone, "0",
            new RtpCodec(96, "VP8", 90000, 0, null), 1, new RecordingPublisherFeedback());
        Assert.Equal(KeyFrameFormat.None, producer.KeyFrameFormat);
    }

    [Fact]
    public void Vp8KeyFrameAndDeltaAreTold()
    {
        byte[] key = TestMedia.PayloadOf(MediaPackets.Vp8KeyFrame(1, 0));
        byte[] delta = TestMedia.PayloadOf(MediaPackets.Vp8Delta(1, 0));
        byte[] middle = TestMedia.PayloadOf(MediaPackets.Vp8Continuation(1, 0));

        Assert.True(KeyFrameDetector.IsKeyFrame(KeyFrameFormat.Vp8, key));
        Assert.False(KeyFrameDetector.IsKeyFrame(KeyFrameFormat.Vp8, delta));
        Assert.False(KeyFrameDetector.IsKeyFrame(KeyFrameFormat.Vp8, middle));
        Assert.False(KeyFrameDetector.IsKeyFrame(KeyFrameFormat.Vp8, [0x10])); // S=1 but no VP8 payload header
        Assert.True(KeyFrameDetector.IsKeyFrame(KeyFrameFormat.Vp8, [0x10, 0x00])); // minimal descriptor
        Assert.True(KeyFrameDetector.IsKeyFrame(KeyFrameFormat.None, delta));
        Assert.True(KeyFrameDetector.IsKeyFrame(KeyFrameFormat.None, ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void H264IdrIsAKeyFrameAndNonIdrIsNot()
    {
        Assert.True(KeyFrameDetector.IsKeyFrame(KeyFrameFormat.H264, [0x65, 0x88, 0x84])); // NAL 5: IDR slice
        Assert.True(KeyFrameDetector.IsKeyFrame(KeyFrameFormat.H264, [0x67, 0x42, 0xC0])); // NAL 7: SPS
        Assert.False(KeyFrameDetector.IsKeyFrame(KeyFrameFormat.H264, [0x41, 0x9A, 0x02])); // NAL 1: non-IDR
    }

    [Fact]
    public void GarbageNeverThrows()
    {
        var random = new Random(1234);
        byte[] buffer = new byte[64];
        for (int i = 0; i < 20_000; i++)
        {
            random.NextBytes(buffer);
            var payload = buffer.AsSpan(0, random.Next(0, buffer.Length + 1));
            foreach (KeyFrameFormat format in Enum.GetValues<KeyFrameFormat>())
            {
                _ = KeyFrameDetector.IsKeyFrame(format, payload);
            }
        }
    }
}
