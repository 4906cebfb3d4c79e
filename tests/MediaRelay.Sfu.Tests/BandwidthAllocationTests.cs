using MediaRelay.Rtp;
using MediaRelay.Sfu.Allocation;
using MediaRelay.Testing;

namespace MediaRelay.Sfu.Tests;

/// <summary>
/// A subscriber's estimated bandwidth shared among its consumers: each layer's measured rate decides how high a
/// consumer may go; a capped consumer forwards the best layer under its cap; shares are served before cameras;
/// keeping a layer needs only that it fits, climbing to one needs 15% headroom.
/// </summary>
public sealed class BandwidthAllocationTests
{
    // Per second at 30 fps with 66 bytes of overhead per packet: ≈ 88 kbps, 256 kbps and 1.12 Mbps.
    private static readonly int[] PacketsPerFrame = [1, 1, 4];
    private static readonly int[] PacketSize = [300, 1000, 1100];
    private static readonly int[] Widths = [320, 640, 1280];
    private readonly Router _router = new();
    private readonly Producer _camera;
    private readonly Producer _share;
    private readonly Consumer _cameraConsumer;
    private readonly Consumer _shareConsumer;
    private readonly ushort[][] _sequences = [[1, 1000, 20000], [1, 1000, 20000]];
    private uint _timestamp = 90_000;
    private long _now = TestMedia.T0;

    public BandwidthAllocationTests()
    {
        var feedback = new RecordingPublisherFeedback();
        _camera = new Producer("cam", "alice", MediaKind.Video, TrackSource.Camera, "1", TestMedia.Vp8, ["q", "h", "f"], feedback);
        _share = new Producer("share", "alice", MediaKind.Video, TrackSource.Screen, "2", TestMedia.Vp8, ["q", "h", "f"], feedback);
        for (int i = 0; i < 3; i++)
        {
            _camera.BindSsrc(i, 0xA0u + (uint)i);
            _share.BindSsrc(i, 0xB0u + (uint)i);
        }
        _router.AddProducer(_camera);
        _router.AddProducer(_share);
        _cameraConsumer = _router.CreateConsumer(_camera, "c1", "bob", new NullEgress(), 0xC1, 100, 1, 0);
        _shareConsumer = _router.CreateConsumer(_share, "c2", "bob", new NullEgress(), 0xC2, 100, 1, 0);
        RunFor(seconds: 2, keyFrameEvery: 30);
    }

    [Fact]
    public void Layer_rates_are_measured_from_what_the_publisher_sends()
    {
        long[] rates = [.. _camera.Layers.Select(l => l.BitsPerSecond)];
        Assert.InRange(rates[0], 75_000, 100_000);
        Assert.InRange(rates[1], 230_000, 280_000);
        Assert.InRange(rates[2], 1_000_000, 1_250_000);
    }

    [Fact]
    public void Enough_bandwidth_lifts_every_cap_and_reports_what_the_subscriber_wants()
    {
        long desired = BitrateAllocator.Allocate([_cameraConsumer, _shareConsumer], 10_000_000, _now, congested: true);

        Assert.Equal(int.MaxValue, _cameraConsumer.MaxLayer);
        Assert.Equal(int.MaxValue, _shareConsumer.MaxLayer);
        Assert.Equal(_camera.Layers[2].BitsPerSecond + _share.Layers[2].BitsPerSecond, desired);
    }

    [Fact]
    public void A_narrow_path_serves_the_share_first_and_caps_the_camera_low()
    {
        long desired = BitrateAllocator.Allocate([_cameraConsumer, _shareConsumer], 1_500_000, _now, congested: true);

        // The share's top layer (1.12 M) goes first; the camera (forwarding its top layer so far) steps down to
        // the middle one (256 k), which still fits in 1.5 M; its top layer would not.
        Assert.Equal(int.MaxValue, _shareConsumer.MaxLayer);
        Assert.Equal(1, _cameraConsumer.MaxLayer);
        BitrateAllocator.Allocate([_cameraConsumer, _shareConsumer], 1_300_000, _now, congested: true);
        Assert.Equal((int.MaxValue, 0), (_shareConsumer.MaxLayer, _cameraConsumer.MaxLayer));
        Assert.True(desired > 2_000_000);
    }

    [Fact]
    public void A_capped_consumer_forwards_the_best_layer_under_its_cap_from_its_keyframe()
    {
        BitrateAllocator.Allocate([_cameraConsumer], 500_000, _now, congested: true);
        Assert.Equal(1, _cameraConsumer.MaxLayer); // 256 k fits under 425 k; 1.12 M does not
        RunFor(seconds: 1, keyFrameEvery: 10);
        Assert.Equal(1, _cameraConsumer.CurrentLayer);

        BitrateAllocator.Allocate([_cameraConsumer], 120_000, _now, congested: true);
        RunFor(seconds: 1, keyFrameEvery: 10);
        Assert.Equal(0, _cameraConsumer.CurrentLayer);

        BitrateAllocator.Allocate([_cameraConsumer], 5_000_000, _now, congested: true);
        RunFor(seconds: 1, keyFrameEvery: 10);
        Assert.Equal(2, _cameraConsumer.CurrentLayer);
    }

    [Fact]
    public void Keeping_a_layer_needs_it_to_fit_but_climbing_to_it_needs_headroom()
    {
        long top = ForwardTheTopLayer();

        BitrateAllocator.Allocate([_cameraConsumer], (long)(top * 1.05), _now, congested: true);
        Assert.Equal(int.MaxValue, _cameraConsumer.MaxLayer); // it fits: stay

        BitrateAllocator.Allocate([_cameraConsumer], 500_000, _now, congested: true);
        RunFor(seconds: 1, keyFrameEvery: 10);
        Assert.Equal(1, _cameraConsumer.CurrentLayer);
        BitrateAllocator.Allocate([_cameraConsumer], (long)(top * 1.05), _now, congested: true);
        Assert.Equal(1, _cameraConsumer.MaxLayer); // the same budget is not enough to climb back
    }

    [Fact]
    public void Without_congestion_a_publisher_ramping_up_does_not_push_a_subscriber_down()
    {
        long top = ForwardTheTopLayer();

        // The estimate trails the top layer by a third (the encoder ramped up): with no congestion the layer stays...
        BitrateAllocator.Allocate([_cameraConsumer], (long)(top * 0.75), _now, congested: false);
        Assert.Equal(int.MaxValue, _cameraConsumer.MaxLayer);
        // ...not beyond 1.5 × the estimate...
        BitrateAllocator.Allocate([_cameraConsumer], (long)(top * 0.6), _now, congested: false);
        Assert.Equal(1, _cameraConsumer.MaxLayer);
        // ...and once the link shows congestion, the same estimate as before is too little.
        BitrateAllocator.Allocate([_cameraConsumer], 10_000_000, _now, congested: false);
        BitrateAllocator.Allocate([_cameraConsumer], (long)(top * 0.75), _now, congested: true);
        Assert.Equal(1, _cameraConsumer.MaxLayer);
    }

    [Fact]
    public void Without_congestion_climbing_still_needs_headroom()
    {
        BitrateAllocator.Allocate([_cameraConsumer], 500_000, _now, congested: true);
        RunFor(seconds: 1, keyFrameEvery: 10);
        Assert.Equal(1, _cameraConsumer.CurrentLayer);

        BitrateAllocator.Allocate([_cameraConsumer], (long)(_camera.Layers[2].BitsPerSecond * 1.05), _now, congested: false);
        Assert.Equal(1, _cameraConsumer.MaxLayer);
    }

    [Fact]
    public void Allocating_allocates_nothing()
    {
        Consumer[] consumers = [_cameraConsumer, _shareConsumer];
        void Round()
        {
            for (int i = 0; i < 10_000; i++)
            {
                BitrateAllocator.Allocate(consumers, 300_000 + i * 300, _now, congested: true);
            }
        }
        Round(); // warm-up
        Assert.Equal(0, AllocationMeter.Measure(Round));
    }

    /// <summary>Plenty of bandwidth for a second: the camera consumer forwards the top layer; returns its rate.</summary>
    private long ForwardTheTopLayer()
    {
        BitrateAllocator.Allocate([_cameraConsumer], 10_000_000, _now, congested: false);
        RunFor(seconds: 1, keyFrameEvery: 10);
        Assert.Equal(2, _cameraConsumer.CurrentLayer);
        return _camera.Layers[2].BitsPerSecond;
    }

    /// <summary>30 fps on every layer of both producers, ticking the producers every 20 ms as the media loop does.</summary>
    private void RunFor(int seconds, int keyFrameEvery)
    {
        for (int frame = 0; frame < seconds * 30; frame++)
        {
            bool key = frame % keyFrameEvery == 0;
            for (int p = 0; p < 2; p++)
            {
                Producer producer = p == 0 ? _camera : _share;
                for (int layer = 0; layer < 3; layer++)
                {
                    for (int k = 0; k < PacketsPerFrame[layer]; k++)
                    {
                        byte[] packet = Packet(layer, _sequences[p][layer]++, first: k == 0, key);
                        Assert.True(RtpPacket.TryParse(packet, out RtpPacket view));
                        producer.OnRtp(view, layer, _now);
                    }
                }
            }
            _timestamp += 3000;
            for (int t = 0; t < 2; t++)
            {
                _now += TestMedia.Milliseconds(16) + (t == 0 ? TestMedia.Milliseconds(1) : 0) / 3;
                _camera.OnTick(_now, TimeSpan.FromMilliseconds(50));
                _share.OnTick(_now, TimeSpan.FromMilliseconds(50));
            }
        }
    }

    /// <summary>VP8 (RFC 7741 §4.2) with the RFC 6386 §9.1 keyframe header announcing the layer's width.</summary>
    private byte[] Packet(int layer, ushort sequence, bool first, bool key)
    {
        byte[] payload = MediaPackets.Vp8SizedPayload(Widths[layer], key, PacketSize[layer], first);
        return MediaPackets.Build(false, MediaPackets.Vp8PayloadType, sequence, _timestamp, 0xA0u + (uint)layer, payload, false, 0);
    }
}
