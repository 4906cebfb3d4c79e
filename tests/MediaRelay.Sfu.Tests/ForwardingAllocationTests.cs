using MediaRelay.Rtp;
using MediaRelay.Testing;

namespace MediaRelay.Sfu.Tests;

/// <summary>
/// CI gate for "0 B per forwarded packet": after warm-up, the whole fan-out (parse, producer, every consumer's
/// rewrite and copy, egress call, keyframe-request flush) allocates nothing on the media loop's thread.
/// </summary>
public class ForwardingAllocationTests
{
    private const int Iterations = 10_000;

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(15)]
    public void ForwardingToConsumersAllocatesNothing(int consumers)
    {
        var feedback = new RecordingPublisherFeedback();
        var router = new Router();
        Producer producer = TestMedia.VideoProducer(feedback);
        router.AddProducer(producer);
        var egress = new NullEgress();
        for (int i = 0; i < consumers; i++)
        {
            router.CreateConsumer(producer, $"c{i}", $"s{i}", egress, 0x1000u + (uint)i, 100, (ushort)(i * 100), 0);
        }

        byte[] keyFrame = MediaPackets.Vp8KeyFrame(0, 0, payloadLength: 1176, withExtension: true);
        byte[] delta = MediaPackets.Vp8Delta(1, 3000, marker: true, payloadLength: 1176, withExtension: true);
        Assert.Equal(1200, delta.Length);
        producer.Deliver(keyFrame, TestMedia.T0);
        long time = TestMedia.T0;
        Run(producer, delta, ref time, 2_000); // warm-up (tiering) including the flushed keyframe request

        long allocated = AllocationMeter.Measure(() => Run(producer, delta, ref time, Iterations), out int runs);

        Assert.Equal(0, allocated);
        Assert.Equal((1L + 2_000 + (runs * Iterations)) * consumers, egress.Packets);
        Assert.Equal(1, feedback.Count);
    }

    [Fact]
    public void ThrottledKeyFrameRequestsAllocateNothing()
    {
        var feedback = new RecordingPublisherFeedback(capacity: 64); // ~24 PLIs in 12 s at one per 500 ms
        var router = new Router();
        Producer producer = TestMedia.VideoProducer(feedback);
        router.AddProducer(producer);
        Consumer consumer = router.CreateConsumer(producer, "c", "s", new NullEgress(), 1, 100, 0, 0);
        byte[] delta = MediaPackets.Vp8Delta(1, 3000, payloadLength: 1160);
        long time = TestMedia.T0;
        Run(producer, delta, ref time, 2_000); // consumer never syncs: requests a keyframe on every packet

        long allocated = AllocationMeter.Measure(() => Run(producer, delta, ref time, Iterations), out int runs);

        Assert.Equal(0, allocated);
        Assert.Equal(2_000 + (runs * Iterations), consumer.PacketsDropped);
        Assert.True(feedback.Count > 1);
    }

    private static void Run(Producer producer, byte[] packet, ref long time, int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (RtpPacket.TryParse(packet, out RtpPacket view))
            {
                view.SequenceNumber++;
                view.Timestamp += 3000;
                time += System.Diagnostics.Stopwatch.Frequency / 1000; // 1 ms per packet
                producer.OnRtp(view, time);
            }
        }
    }
}
