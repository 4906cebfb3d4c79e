using MediaRelay.Rtp;
using static MediaRelay.Testing.H264Payloads;

namespace MediaRelay.Sfu.Tests;

/// <summary>
/// H.264 simulcast layers are sized from the SPS each key frame carries (RFC 6184 §5.7.1 STAP-A, ITU-T H.264
/// §7.3.2.1.1), so a subscriber's tile gets the smallest layer at least as wide, as with VP8, instead of the
/// highest layer whatever the tile. The SPS are libx264's for 320x180, 640x360 and 1280x720.
/// </summary>
public sealed class H264SimulcastTests
{
    private const byte H264PayloadType = 102;
    private static readonly RtpCodec H264 = new(H264PayloadType, "H264", 90000, 0, "packetization-mode=1;profile-level-id=42e01f");
    private static readonly uint[] LayerSsrcs = [0xB1, 0xB2, 0xB3];
    private static readonly string[] Sps =
    [
        "6742c00dd901419f9f0110000003001000000303c0f142a480",
        "6742c01ed900a02ff970110000030001000003003c0f162e48",
        "6742c01fd9005005bb0110000003001000000303c0f1832480",
    ];
    private readonly RecordingEgress _egress = new();
    private readonly Producer _producer;
    private readonly Consumer _consumer;
    private readonly ushort[] _sequences = [10, 20, 30];
    private readonly uint[] _timestamps = [1_000, 2_000, 3_000];
    private long _now = TestMedia.T0;

    public H264SimulcastTests()
    {
        _producer = new Producer("cam", "cart", MediaKind.Video, TrackSource.Camera, "1", H264, ["q", "h", "f"],
            new RecordingPublisherFeedback());
        for (int i = 0; i < 3; i++)
        {
            _producer.BindSsrc(i, LayerSsrcs[i]);
        }
        _consumer = new Router().CreateConsumerFor(_producer, _egress);
    }

    [Theory]
    [InlineData(300, 0, 320)]
    [InlineData(600, 1, 640)]
    [InlineData(1000, 2, 1280)]
    public void The_layer_fitting_the_tile_is_chosen_from_the_sizes_the_sps_announce(int tileWidth, int layer, int width)
    {
        _consumer.SetPreferredWidth(tileWidth);
        SendKeyFrame(); // sizes are learned from the SPS
        SendKeyFrame(); // the consumer starts on the fitting layer's key frame

        Assert.Equal(width, _producer.Layers[layer].Width);
        Assert.Equal(layer, _consumer.CurrentLayer);
    }

    /// <summary>One key frame on every layer: SPS, PPS and the start of an IDR slice in one STAP-A.</summary>
    private void SendKeyFrame()
    {
        _now += TestMedia.Milliseconds(33);
        for (int layer = 0; layer < 3; layer++)
        {
            byte[] payload = StapA(Convert.FromHexString(Sps[layer]), [0x68, 0xCE, 0x3C, 0x80], [0x65, 0x88, 0x84, 0x00]);
            byte[] packet = MediaPackets.Build(true, H264PayloadType, _sequences[layer]++, _timestamps[layer], LayerSsrcs[layer],
                payload, false, 0);
            _timestamps[layer] += 3000;
            Assert.True(RtpPacket.TryParse(packet, out RtpPacket view));
            _producer.OnRtp(view, layer, _now);
        }
    }
}
