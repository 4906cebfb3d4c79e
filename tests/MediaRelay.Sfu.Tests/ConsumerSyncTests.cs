using MediaRelay.Rtp;
namespace MediaRelay.Sfu.Tests;

/// <summary>
/// Where a consumer may start: video at a keyframe (RFC 7741 §4.3 for VP8), audio at any packet; padding-only
/// probes never reach subscribers; sequence numbers wrap without a gap (RFC 3550 §A.1).
/// </summary>
public class ConsumerSyncTests
{
    [Fact]
    public void VideoConsumerDropsDeltasAndAsksForAKeyFrameThenForwards()
    {
        var feedback = new RecordingPublisherFeedback();
        var router = new Router();
        Producer producer = TestMedia.VideoProducer(feedback);
        router.AddProducer(producer);
        var egress = new RecordingEgress();
        Consumer consumer = router.CreateConsumer(producer, "c", "bob", egress, 0xB0B, 100, 500, 7000);

        long t = TestMedia.T0;
        producer.Deliver(MediaPackets.Vp8Delta(40, 3000), t);
        producer.Deliver(MediaPackets.Vp8Continuation(41, 3000, marker: true), t);
        producer.Deliver(MediaPackets.Vp8Delta(42, 6000, marker: true), t);

        Assert.Empty(egress.Rtp);
        Assert.Equal(3, consumer.PacketsDropped);
        Assert.Equal([MediaPackets.PublisherVideoSsrc], feedback.PictureLossIndications);

        producer.Deliver(MediaPackets.Vp8KeyFrame(43, 9000), t);
        producer.Deliver(MediaPackets.Vp8Continuation(44, 9000, marker: true), t);
        producer.Deliver(MediaPackets.Vp8Delta(45, 12000, marker: true), t);

        Assert.Equal(3, egress.Rtp.Count);
        Assert.Equal([500, 501, 502], egress.Rtp.ConvertAll(p => (int)TestMedia.Read(p).SequenceNumber));
        Assert.Equal([7000u, 7000u, 10000u], egress.Rtp.ConvertAll(p => TestMedia.Read(p).Timestamp));
        Assert.Equal(3, consumer.PacketsSent);
    }

    [Fact]
    public void ConsumerJoiningMidStreamWaitsForTheNextKeyFrame()
    {
        var router = new Router();
        Producer producer = TestMedia.VideoProducer(new RecordingPublisherFeedback());
        router.AddProducer(producer);
        var early = new RecordingEgress();
        router.CreateConsumer(producer, "early", "bob", early, 1, 100, 0, 0);
        producer.Deliver(MediaPackets.Vp8KeyFrame(10, 0), TestMedia.T0);
        producer.Deliver(MediaPackets.Vp8Delta(11, 3000), TestMedia.T0);

        var late = new RecordingEgress();
        router.CreateConsumer(producer, "late", "carol", late, 2, 100, 0, 0);
        producer.Deliver(MediaPackets.Vp8Delta(12, 6000), TestMedia.T0);
        producer.Deliver(MediaPackets.Vp8KeyFrame(13, 9000), TestMedia.T0);

        Assert.Equal(4, early.Rtp.Count);
        Assert.Single(late.Rtp);
        Assert.Equal(TestMedia.PayloadOf(MediaPackets.Vp8KeyFrame(13, 9000)), TestMedia.Read(late.Rtp[0]).Payload);
    }

    [Fact]
    public void AudioConsumerForwardsAtOnceAndNeverRequestsKeyFrames()
    {
        var feedback = new RecordingPublisherFeedback();
        var router = new Router();
        Producer producer = TestMedia.AudioProducer(feedback);
        router.AddProducer(producer);
        var egress = new RecordingEgress();
        Consumer consumer = router.CreateConsumer(producer, "c", "bob", egress, 0xA0D, 109, 1, 960);

        producer.Deliver(MediaPackets.Opus(3000, 48000, marker: true), TestMedia.T0);
        producer.Deliver(MediaPackets.Opus(3001, 48960), TestMedia.T0 + TestMedia.Milliseconds(20));
        consumer.OnPictureLoss();
        consumer.Pause();
        consumer.Resume();
        producer.Deliver(MediaPackets.Opus(3002, 49920), TestMedia.T0 + TestMedia.Milliseconds(1000));

        Assert.Equal(KeyFrameFormat.None, producer.KeyFrameFormat);
        Assert.Equal(3, egress.Rtp.Count);
        SentPacket first = TestMedia.Read(egress.Rtp[0]);
        Assert.Equal((ushort)1, first.SequenceNumber);
        Assert.Equal(960u, first.Timestamp);
        Assert.True(first.Marker);
        Assert.Equal(109, first.PayloadType);
        Assert.Equal(0, feedback.Count);
        Assert.Equal(0, producer.KeyFrameRequestsSent);
        Assert.Equal(0, producer.KeyFrameRequestsThrottled);
    }

    [Fact]
    public void VideoCodecWithoutKeyFrameDetectionForwardsAtOnce()
    {
        var router = new Router();
        Producer producer = TestMedia.VideoProducer(new RecordingPublisherFeedback(),
            codec: new RtpCodec(45, "AV1", 90000, 0, null));
        router.AddProducer(producer);
        var egress = new RecordingEgress();
        router.CreateConsumer(producer, "c", "bob", egress, 1, 45, 0, 0);

        producer.Deliver(MediaPackets.Vp8Delta(5, 3000), TestMedia.T0);

        Assert.Equal(KeyFrameFormat.None, producer.KeyFrameFormat);
        Assert.Single(egress.Rtp);
    }

    [Fact]
    public void PaddingOnlyAndEmptyPacketsShrinkToOneBytePaddingThatKeepsTheNumberingWhole()
    {
        var router = new Router();
        Producer producer = TestMedia.VideoProducer(new RecordingPublisherFeedback());
        router.AddProducer(producer);
        var egress = new RecordingEgress();
        Consumer consumer = router.CreateConsumer(producer, "c", "bob", egress, 1, 100, 200, 0);

        producer.Deliver(MediaPackets.PaddingOnly(9, 0), TestMedia.T0); // before the first keyframe: nothing
        producer.Deliver(MediaPackets.Vp8KeyFrame(10, 0), TestMedia.T0);
        producer.Deliver(MediaPackets.PaddingOnly(11, 0), TestMedia.T0);
        producer.Deliver(MediaPackets.PaddingOnly(12, 0, padding: 1), TestMedia.T0);
        producer.Deliver(MediaPackets.Empty(13, 0), TestMedia.T0);
        producer.Deliver(MediaPackets.Vp8Delta(14, 3000), TestMedia.T0);

        // No holes for the subscriber to report lost and NACK: each probe became a 1-byte padding packet.
        Assert.Equal([200, 201, 202, 203, 204], egress.Rtp.ConvertAll(p => (int)TestMedia.Read(p).SequenceNumber));
        foreach (byte[] padding in egress.Rtp.GetRange(1, 3))
        {
            SentPacket p = TestMedia.Read(padding);
            Assert.True(p.HasPadding);
            Assert.Empty(p.Payload);
            Assert.Equal(RtpPacket.FixedHeaderLength + 1, padding.Length);
        }
        Assert.Equal(5, consumer.PacketsSent);
    }

    [Fact]
    public void PaddingOnlyProbesDoNotSatisfyOrDisturbTheKeyFrameWait()
    {
        var router = new Router();
        Producer producer = TestMedia.VideoProducer(new RecordingPublisherFeedback());
        router.AddProducer(producer);
        var egress = new RecordingEgress();
        router.CreateConsumer(producer, "c", "bob", egress, 1, 100, 200, 0);

        producer.Deliver(MediaPackets.PaddingOnly(9, 0), TestMedia.T0);
        producer.Deliver(MediaPackets.Vp8KeyFrame(10, 0), TestMedia.T0);

        SentPacket sent = TestMedia.Read(Assert.Single(egress.Rtp));
        Assert.Equal((ushort)200, sent.SequenceNumber);
    }

    [Fact]
    public void SequenceWrapAroundOnInputKeepsOutputContinuous()
    {
        var router = new Router();
        Producer producer = TestMedia.VideoProducer(new RecordingPublisherFeedback());
        router.AddProducer(producer);
        var egress = new RecordingEgress();
        router.CreateConsumer(producer, "c", "bob", egress, 1, 100, 1000, 0);

        ushort seq = 65530;
        uint ts = uint.MaxValue - 6000;
        producer.Deliver(MediaPackets.Vp8KeyFrame(seq, ts), TestMedia.T0);
        for (int i = 1; i < 20; i++)
        {
            seq++;
            ts += 3000;
            producer.Deliver(MediaPackets.Vp8Delta(seq, ts, marker: true), TestMedia.T0);
        }

        Assert.Equal(20, egress.Rtp.Count);
        for (int i = 0; i < egress.Rtp.Count; i++)
        {
            SentPacket sent = TestMedia.Read(egress.Rtp[i]);
            Assert.Equal((ushort)(1000 + i), sent.SequenceNumber);
            Assert.Equal((uint)(i * 3000), sent.Timestamp);
        }
    }

    [Fact]
    public void OutputWrapsAroundWhenTheInitialSequenceIsNearTheTop()
    {
        var router = new Router();
        Producer producer = TestMedia.VideoProducer(new RecordingPublisherFeedback());
        router.AddProducer(producer);
        var egress = new RecordingEgress();
        router.CreateConsumer(producer, "c", "bob", egress, 1, 100, 65534, 0);

        producer.Deliver(MediaPackets.Vp8KeyFrame(100, 0), TestMedia.T0);
        producer.Deliver(MediaPackets.Vp8Delta(101, 3000), TestMedia.T0);
        producer.Deliver(MediaPackets.Vp8Delta(102, 6000), TestMedia.T0);
        producer.Deliver(MediaPackets.Vp8Delta(104, 9000), TestMedia.T0);

        Assert.Equal([65534, 65535, 0, 2], egress.Rtp.ConvertAll(p => (int)TestMedia.Read(p).SequenceNumber));
    }
}
