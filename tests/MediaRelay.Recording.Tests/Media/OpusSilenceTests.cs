using MediaRelay.Recording.Media;
using MediaRelay.Recording.Native;

namespace MediaRelay.Recording.Tests.Media;

/// <summary>
/// The silence packets: golden bytes (RFC 6716 §3.1 CELT-only fullband TOC + 0xFF 0xFE), and proof by decoding that
/// each decodes to exact zeros with both FFmpeg's Opus decoder and libopus, in mono and stereo tracks.
/// </summary>
public class OpusSilenceTests
{
    [Theory]
    [InlineData(960, false, new byte[] { 0xF8, 0xFF, 0xFE })]
    [InlineData(960, true, new byte[] { 0xFC, 0xFF, 0xFE })]
    [InlineData(480, false, new byte[] { 0xF0, 0xFF, 0xFE })]
    [InlineData(480, true, new byte[] { 0xF4, 0xFF, 0xFE })]
    [InlineData(240, false, new byte[] { 0xE8, 0xFF, 0xFE })]
    [InlineData(240, true, new byte[] { 0xEC, 0xFF, 0xFE })]
    [InlineData(120, false, new byte[] { 0xE0, 0xFF, 0xFE })]
    [InlineData(120, true, new byte[] { 0xE4, 0xFF, 0xFE })]
    public void Golden_bytes_one_celt_fullband_frame_of_the_asked_size(int samples, bool stereo, byte[] expected)
    {
        ReadOnlySpan<byte> packet = OpusSilence.Packet(samples, stereo);

        Assert.Equal(expected, packet.ToArray());
        Assert.Equal(samples, OpusToc.PacketSamples(packet));
        Assert.Equal(stereo, OpusToc.IsStereo(packet[0]));
        Assert.True(packet[0] >> 3 >= 28, "CELT-only fullband configuration");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(1920)]
    public void Other_sizes_have_no_silence_packet(int samples) => Assert.True(OpusSilence.Packet(samples, false).IsEmpty);

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(2, false)] // a browser's mono Opus in an "opus/48000/2" track
    public void Every_silence_packet_decodes_to_zeros(int channels, bool stereo)
    {
        string directory = Path.Combine(Path.GetTempPath(), "mediarelay-silence-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            string file = Path.Combine(directory, "silence.webm");
            int[] sizes = [960, 480, 240, 120];
            int expectedSamples = 0;
            using (var muxer = new MediaMuxer(file, MediaContainer.Webm))
            {
                int stream = muxer.AddAudio(MediaCodec.Opus, 48_000, channels);
                muxer.Begin();
                long pts = 0;
                for (int i = 0; i < 40; i++)
                {
                    int samples = sizes[i % sizes.Length];
                    muxer.Write(stream, pts, true, OpusSilence.Packet(samples, stereo));
                    pts += OpusToc.SamplesToMicroseconds(samples);
                    expectedSamples += samples;
                }
                muxer.Finish();
            }
            Assert.Equal("", FfmpegTool.DecodeErrors(file));
            foreach (string decoder in new[] { "opus", "libopus" })
            {
                string pcm = Path.Combine(directory, decoder + ".pcm");
                FfmpegTool.Ffmpeg("-c:a", decoder, "-i", file, "-f", "s16le", pcm);
                byte[] bytes = File.ReadAllBytes(pcm);
                Assert.Equal(expectedSamples * channels * 2, bytes.Length);
                Assert.All(bytes, b => Assert.Equal(0, b));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
