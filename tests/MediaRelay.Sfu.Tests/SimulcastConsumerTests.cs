using MediaRelay.Rtp;

namespace MediaRelay.Sfu.Tests;

/// <summary>
/// Simulcast (RFC 8853) on the consumer side: the layer that fits the subscriber's tile is chosen from the sizes the
/// publisher's keyframes announce, switches happen only on a keyframe of the new layer, and the subscriber sees one
/// continuous stream (same SSRC, sequence numbers +1, timestamps advancing with wall-clock time).
/// </summary>
public sealed class SimulcastConsumerTests
{
    private static readonly uint[] LayerSsrcs = [0xA1, 0xA2, 0xA3];
    private static readonly int[] Widths = [240, 480, 960];
    private readonly RecordingPublisherFeedback _feedback = new();
    private readonly RecordingEgress _egress = new();
    private readonly Producer _producer;
    private Consumer _consumer = null!;
    private readonly ushort[] _sequences = [100, 5000, 60000];
    private readonly uint[] _timestamps = [1_000, 2_000_000, 3_000_000_000];
    private long _now = TestMedia.T0;

    public SimulcastConsumerTests()
    {
        _producer = new Producer("cam", "alice", MediaKind.Video, TrackSource.Camera, "1", TestMedia.Vp8, ["q", "h", "f"], _feedback);
        for (int i = 0; i < 3; i++)
        {
            _producer.BindSsrc(i, LayerSsrcs[i]);
        }
        // The publisher has been sending for a while: every layer's size is known when the subscriber arrives.
        SendFrame(keyFrame: true);
        _consumer = new Router().CreateConsumerFor(_producer, _egress);
    }

    [Fact]
    public void Small_tile_gets_the_smallest_layer_at_least_as_wide()
    {
        _consumer.SetPreferredWidth(400);
        SendFrame(keyFrame: true);   // sizes are learned; the consumer starts on the 480 layer's keyframe
        SendFrame(keyFrame: false);

        Assert.All(Sent(), p => Assert.Equal(0xC0FFEEu, p.Ssrc));
        Assert.Equal(1, _consumer.CurrentLayer);
        Assert.Equal(2, Sent().Count); // one keyframe and one delta of layer 1 only
    }

    [Fact]
    public void Switching_up_waits_for_the_new_layers_keyframe_and_keeps_the_stream_continuous()
    {
        _consumer.SetPreferredWidth(400);
        SendFrame(keyFrame: true);
        SendFrame(keyFrame: false);
        int before = Sent().Count;
        SentPacket last = Sent()[^1];

        _consumer.SetPreferredWidth(900);
        SendFrame(keyFrame: false);          // still layer 1: forwarded, and a keyframe of layer 2 is requested
        Assert.Equal(1, _consumer.CurrentLayer);
        Assert.Equal(before + 1, Sent().Count);
        AdvanceAndFlush();
        Assert.Contains(LayerSsrcs[2], _feedback.PictureLossIndications);

        SendFrame(keyFrame: true);           // every layer's keyframe; the consumer moves to layer 2
        Assert.Equal(2, _consumer.CurrentLayer);
        SentPacket[] after = Sent().Skip(before).ToArray();
        Assert.Equal((ushort)(last.SequenceNumber + 1), after[0].SequenceNumber);
        Assert.Equal((ushort)(last.SequenceNumber + 2), after[1].SequenceNumber);
        Assert.True(after[1].Timestamp - after[0].Timestamp is > 0 and < 90_000, "timestamp must advance by about a frame");
        Assert.Equal(1, _consumer.LayerSwitches);
    }

    [Fact]
    public void A_layer_the_publisher_stops_sending_is_replaced_by_the_best_active_one()
    {
        _consumer.SetPreferredWidth(900);
        SendFrame(keyFrame: true);
        Assert.Equal(2, _consumer.CurrentLayer);

        // Layer 2 stops (the publisher's bandwidth dropped); layers 0 and 1 go on for more than a second.
        for (int i = 0; i < 40; i++)
        {
            SendFrame(keyFrame: i == 35, layers: [0, 1]);
        }
        Assert.Equal(1, _consumer.CurrentLayer);
    }

    [Fact]
    public void Packets_of_other_layers_never_reach_the_subscriber()
    {
        _consumer.SetPreferredWidth(200);
        for (int i = 0; i < 10; i++)
        {
            SendFrame(keyFrame: i == 0);
        }
        Assert.Equal(0, _consumer.CurrentLayer);
        Assert.Equal(10, Sent().Count);
        Assert.All(Sent(), p => Assert.Equal(0xC0FFEEu, p.Ssrc));
    }

    [Fact]
    public void Staying_on_a_layer_asks_the_publisher_for_no_key_frames()
    {
        _consumer.SetPreferredWidth(400);
        SendFrame(keyFrame: true);
        Assert.Equal(1, _consumer.CurrentLayer);
        int before = _feedback.Count;

        // Ten seconds of every layer flowing while the subscriber stays on layer 1: the other layers' packets are
        // dropped without a request (each key frame costs the publisher's uplink several delta frames' worth).
        for (int i = 0; i < 300; i++)
        {
            SendFrame(keyFrame: false);
            if (i % 15 == 0)
            {
                AdvanceAndFlush();
            }
        }
        Assert.Equal(1, _consumer.CurrentLayer);
        Assert.Equal(before, _feedback.Count);
    }

    private List<SentPacket> Sent() => _egress.Rtp.Select(TestMedia.Read).ToList();

    private void AdvanceAndFlush()
    {
        _now += TestMedia.Milliseconds(600);
        _producer.FlushKeyFrameRequest(_now);
    }

    /// <summary>One frame on each of the given layers, 33 ms after the previous one.</summary>
    private void SendFrame(bool keyFrame, int[]? layers = null)
    {
        _now += TestMedia.Milliseconds(33);
        foreach (int layer in layers ?? [0, 1, 2])
        {
            byte[] packet = Vp8Frame(layer, keyFrame);
            Assert.True(RtpPacket.TryParse(packet, out RtpPacket view));
            _producer.OnRtp(view, layer, _now);
            _sequences[layer]++;
            _timestamps[layer] += 3000;
        }
    }

    /// <summary>A one-packet VP8 frame (RFC 7741 descriptor; RFC 6386 §9.1 keyframe header with the layer's size).</summary>
    private byte[] Vp8Frame(int layer, bool keyFrame)
    {
        byte[] payload = MediaPackets.Vp8SizedPayload(Widths[layer], keyFrame);
        return MediaPackets.Build(true, MediaPackets.Vp8PayloadType, _sequences[layer], _timestamps[layer], LayerSsrcs[layer],
            payload, false, 0);
    }
}

internal static class SimulcastRouterExtensions
{
    public static Consumer CreateConsumerFor(this Router router, Producer producer, IRtpEgress egress)
    {
        router.AddProducer(producer);
        return router.CreateConsumer(producer, "c", "bob", egress, 0xC0FFEE, 100, 7, 0);
    }
}
