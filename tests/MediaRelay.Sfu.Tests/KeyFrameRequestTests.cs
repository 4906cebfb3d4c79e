namespace MediaRelay.Sfu.Tests;

/// <summary>
/// Keyframe requests (RFC 4585 §6.3.1 PLI) are raised from any thread, sent from the media loop with the next
/// packet, at most once per 500 ms; requests in between are merged and counted.
/// </summary>
public class KeyFrameRequestTests
{
    private readonly RecordingPublisherFeedback _feedback = new();

    private static byte[] Delta(ushort seq) => MediaPackets.Vp8Delta(seq, seq * 3000u);

    [Fact]
    public void RequestFromAnotherThreadIsSentWithTheNextPacket()
    {
        Producer producer = TestMedia.VideoProducer(_feedback);

        var thread = new Thread(producer.RequestKeyFrame);
        thread.Start();
        thread.Join();
        Assert.Equal(0, _feedback.Count); // nothing leaves before the media loop runs

        producer.Deliver(Delta(1), TestMedia.T0);

        Assert.Equal([MediaPackets.PublisherVideoSsrc], _feedback.PictureLossIndications);
        Assert.Equal(1, producer.KeyFrameRequestsSent);
        Assert.Equal(0, producer.KeyFrameRequestsThrottled);

        producer.Deliver(Delta(2), TestMedia.T0 + TestMedia.Milliseconds(2000));
        Assert.Equal(1, _feedback.Count); // a request is sent once, not on every packet after it
    }

    [Fact]
    public void ConcurrentRequestsAreMergedIntoOne()
    {
        Producer producer = TestMedia.VideoProducer(_feedback);
        const int threads = 4, perThread = 250;
        var workers = new Thread[threads];
        for (int i = 0; i < threads; i++)
        {
            workers[i] = new Thread(() =>
            {
                for (int j = 0; j < perThread; j++)
                {
                    producer.RequestKeyFrame();
                }
            });
            workers[i].Start();
        }
        foreach (Thread worker in workers)
        {
            worker.Join();
        }

        producer.Deliver(Delta(1), TestMedia.T0);

        Assert.Equal(1, _feedback.Count);
        Assert.Equal(threads * perThread - 1, producer.KeyFrameRequestsThrottled);
    }

    [Fact]
    public void AtMostOneRequestPerHalfSecond()
    {
        Producer producer = TestMedia.VideoProducer(_feedback);
        long t = TestMedia.T0;
        int requests = 0;

        producer.RequestKeyFrame(); requests++;
        producer.Deliver(Delta(1), t);
        Assert.Equal(1, _feedback.Count);

        // 100 ms .. 499 ms later: requested on every packet, nothing leaves.
        ushort seq = 2;
        foreach (int ms in new[] { 100, 200, 300, 400, 499 })
        {
            producer.RequestKeyFrame(); requests++;
            producer.Deliver(Delta(seq++), t + TestMedia.Milliseconds(ms));
        }
        Assert.Equal(1, _feedback.Count);
        Assert.Equal(1, producer.KeyFrameRequestsSent);

        // 500 ms after the last one: the merged request goes out, once.
        producer.Deliver(Delta(seq++), t + TestMedia.Milliseconds(500));
        producer.Deliver(Delta(seq++), t + TestMedia.Milliseconds(510));
        Assert.Equal(2, _feedback.Count);
        Assert.Equal(2, producer.KeyFrameRequestsSent);

        // The window restarts at the second send.
        producer.RequestKeyFrame(); requests++;
        producer.Deliver(Delta(seq++), t + TestMedia.Milliseconds(999));
        Assert.Equal(2, _feedback.Count);
        producer.Deliver(Delta(seq++), t + TestMedia.Milliseconds(1000));
        Assert.Equal(3, _feedback.Count);

        // Every request was either sent or merged into one that was.
        Assert.Equal(requests, producer.KeyFrameRequestsSent + producer.KeyFrameRequestsThrottled);
        Assert.Equal(3, producer.KeyFrameRequestsSent);
        Assert.Equal(4, producer.KeyFrameRequestsThrottled);
    }

    [Fact]
    public void ConsumersWaitingForAKeyFrameDoNotFloodThePublisher()
    {
        var router = new Router();
        Producer producer = TestMedia.VideoProducer(_feedback);
        router.AddProducer(producer);
        for (int i = 0; i < 5; i++)
        {
            router.CreateConsumer(producer, $"c{i}", $"s{i}", new RecordingEgress(), (uint)i + 1, 100, 0, 0);
        }

        long t = TestMedia.T0;
        for (ushort s = 0; s < 90; s++) // three seconds of deltas at 30 fps
        {
            producer.Deliver(Delta(s), t + TestMedia.Milliseconds(s * 100L / 3));
        }

        // A waiting consumer re-asks at most once a second and the producer merges the five consumers' asks:
        // requests go out at 0 ms, 1000 ms and 2000 ms (the 500 ms producer throttle is never the limit here).
        Assert.Equal(3, _feedback.Count);
        Assert.Equal(3, producer.KeyFrameRequestsSent);
    }

    [Fact]
    public void NothingIsSentUntilThePublisherSsrcIsKnown()
    {
        Producer producer = TestMedia.VideoProducer(_feedback, ssrc: 0);
        producer.RequestKeyFrame();
        producer.Deliver(Delta(1), TestMedia.T0);
        producer.Deliver(Delta(2), TestMedia.T0 + TestMedia.Milliseconds(1000));
        Assert.Equal(0, _feedback.Count);
        Assert.Equal(0, producer.KeyFrameRequestsSent);

        producer.BindSsrc(0xDEADBEEF);
        producer.Deliver(Delta(3), TestMedia.T0 + TestMedia.Milliseconds(1010));

        Assert.Equal([0xDEADBEEFu], _feedback.PictureLossIndications);
        Assert.Equal(1, producer.KeyFrameRequestsSent);
    }

    [Fact]
    public void AudioProducersNeverRequestKeyFrames()
    {
        var router = new Router();
        Producer producer = TestMedia.AudioProducer(_feedback);
        router.AddProducer(producer);
        Consumer consumer = router.CreateConsumer(producer, "c", "bob", new RecordingEgress(), 1, 111, 0, 0);

        producer.RequestKeyFrame();
        consumer.OnPictureLoss();
        producer.Deliver(MediaPackets.Opus(1, 960), TestMedia.T0);
        producer.FlushKeyFrameRequest(TestMedia.T0 + TestMedia.Milliseconds(5000));

        Assert.Equal(0, _feedback.Count);
        Assert.Equal(0, producer.KeyFrameRequestsSent);
        Assert.Equal(0, producer.KeyFrameRequestsThrottled);
    }

    [Fact]
    public void NewVideoConsumerAndPictureLossRequestAKeyFrame()
    {
        var router = new Router();
        Producer producer = TestMedia.VideoProducer(_feedback);
        router.AddProducer(producer);
        Consumer consumer = router.CreateConsumer(producer, "c", "bob", new RecordingEgress(), 1, 100, 0, 0);
        producer.Deliver(MediaPackets.Vp8KeyFrame(1, 0), TestMedia.T0);
        Assert.Equal(1, _feedback.Count);

        consumer.OnPictureLoss();
        producer.Deliver(Delta(2), TestMedia.T0 + TestMedia.Milliseconds(600));
        Assert.Equal(2, _feedback.Count);
    }

    /// <summary>FlushKeyFrameRequest is public (a timer on the media loop may call it): no pending request, no PLI.</summary>
    [Fact]
    public void FlushWithoutAPendingRequestSendsNothing()
    {
        Producer producer = TestMedia.VideoProducer(_feedback);

        producer.FlushKeyFrameRequest(TestMedia.T0);
        producer.FlushKeyFrameRequest(TestMedia.T0 + TestMedia.Milliseconds(1000));

        Assert.Equal(0, _feedback.Count);
        Assert.Equal(0, producer.KeyFrameRequestsSent);
    }

    [Fact]
    public void FlushSendsAPendingRequestWhenTheWindowAllows()
    {
        Producer producer = TestMedia.VideoProducer(_feedback);
        producer.RequestKeyFrame();
        producer.FlushKeyFrameRequest(TestMedia.T0);
        producer.RequestKeyFrame();
        producer.FlushKeyFrameRequest(TestMedia.T0 + TestMedia.Milliseconds(100));
        Assert.Equal(1, _feedback.Count);
        producer.FlushKeyFrameRequest(TestMedia.T0 + TestMedia.Milliseconds(500));
        Assert.Equal(2, _feedback.Count);
    }
}
