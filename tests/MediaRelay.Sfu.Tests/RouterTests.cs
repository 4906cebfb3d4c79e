namespace MediaRelay.Sfu.Tests;

/// <summary>The room's producer → consumers map and its control-plane notifications.</summary>
public class RouterTests
{
    private readonly RecordingRouterListener _listener = new();
    private readonly Router _router;

    public RouterTests() => _router = new Router(_listener);

    [Fact]
    public void AddProducerRegistersAndNotifies()
    {
        Producer producer = TestMedia.VideoProducer(new RecordingPublisherFeedback());
        _router.AddProducer(producer);

        Assert.True(_router.TryGetProducer("video", out Producer found));
        Assert.Same(producer, found);
        Assert.Same(producer, Assert.Single(_router.Producers));
        Assert.Same(producer, Assert.Single(_listener.Added));
        Assert.False(_router.TryGetProducer("nope", out _));
    }

    [Fact]
    public void AddProducerWithADuplicateIdThrows()
    {
        _router.AddProducer(TestMedia.VideoProducer(new RecordingPublisherFeedback(), id: "p"));
        Producer twin = TestMedia.AudioProducer(new RecordingPublisherFeedback(), id: "p");

        Assert.Throws<InvalidOperationException>(() => _router.AddProducer(twin));
        Assert.Single(_listener.Added);
        Assert.True(_router.TryGetProducer("p", out Producer kept));
        Assert.Equal(MediaKind.Video, kept.Kind);
    }

    [Fact]
    public void CloseProducerClosesAndReturnsItsConsumers()
    {
        Producer producer = TestMedia.VideoProducer(new RecordingPublisherFeedback());
        _router.AddProducer(producer);
        var egressA = new RecordingEgress();
        var egressB = new RecordingEgress();
        Consumer a = _router.CreateConsumer(producer, "a", "bob", egressA, 1, 100, 0, 0);
        Consumer b = _router.CreateConsumer(producer, "b", "carol", egressB, 2, 100, 0, 0);
        producer.Deliver(MediaPackets.Vp8KeyFrame(1, 0), TestMedia.T0);

        IReadOnlyList<Consumer> closed = _router.CloseProducer("video");

        Assert.Equal([a, b], closed);
        Assert.True(a.IsClosed);
        Assert.True(b.IsClosed);
        Assert.True(producer.IsClosed);
        Assert.Empty(producer.Consumers);
        Assert.False(_router.TryGetProducer("video", out _));
        Assert.Empty(_router.Producers);
        Assert.Same(producer, Assert.Single(_listener.Closed));

        producer.Deliver(MediaPackets.Vp8Delta(2, 3000), TestMedia.T0);
        Assert.Single(egressA.Rtp);
        Assert.Single(egressB.Rtp);
    }

    [Fact]
    public void CloseUnknownProducerReturnsNothingAndDoesNotNotify()
    {
        Assert.Empty(_router.CloseProducer("ghost"));
        Assert.Empty(_listener.Closed);
    }

    [Fact]
    public void CreateConsumerOnAClosedProducerThrows()
    {
        Producer producer = TestMedia.VideoProducer(new RecordingPublisherFeedback());
        _router.AddProducer(producer);
        _router.CloseProducer(producer.Id);

        Assert.Throws<InvalidOperationException>(() =>
            _router.CreateConsumer(producer, "c", "bob", new RecordingEgress(), 1, 100, 0, 0));
        Assert.Empty(producer.Consumers);
    }

    [Fact]
    public void CreateConsumerKeepsItsIdentity()
    {
        Producer producer = TestMedia.VideoProducer(new RecordingPublisherFeedback());
        _router.AddProducer(producer);
        Consumer consumer = _router.CreateConsumer(producer, "c1", "bob", new RecordingEgress(), 0xFACE, 101, 7, 8);

        Assert.Equal("c1", consumer.Id);
        Assert.Equal("bob", consumer.SubscriberId);
        Assert.Same(producer, consumer.Producer);
        Assert.Equal(0xFACEu, consumer.Ssrc);
        Assert.Equal(101, consumer.PayloadType);
        Assert.False(consumer.IsClosed);
        Assert.False(consumer.Paused);
        Assert.Same(consumer, Assert.Single(producer.Consumers));
    }

    [Fact]
    public void CloseConsumerRemovesItFromItsProducerOnly()
    {
        Producer producer = TestMedia.VideoProducer(new RecordingPublisherFeedback());
        _router.AddProducer(producer);
        var egresses = new RecordingEgress[3];
        var consumers = new Consumer[3];
        for (int i = 0; i < 3; i++)
        {
            egresses[i] = new RecordingEgress();
            consumers[i] = _router.CreateConsumer(producer, $"c{i}", $"s{i}", egresses[i], (uint)i + 1, 100, 0, 0);
        }
        producer.Deliver(MediaPackets.Vp8KeyFrame(1, 0), TestMedia.T0);

        _router.CloseConsumer(consumers[1]);
        _router.CloseConsumer(consumers[1]); // twice is harmless
        producer.Deliver(MediaPackets.Vp8Delta(2, 3000), TestMedia.T0);

        Assert.True(consumers[1].IsClosed);
        Assert.Equal([consumers[0], consumers[2]], producer.Consumers);
        Assert.Equal(2, egresses[0].Rtp.Count);
        Assert.Single(egresses[1].Rtp);
        Assert.Equal(2, egresses[2].Rtp.Count);
        Assert.False(producer.IsClosed);
        Assert.Empty(_listener.Closed);
    }

    [Fact]
    public void ConsumersOfDifferentProducersAreIndependent()
    {
        Producer video = TestMedia.VideoProducer(new RecordingPublisherFeedback());
        Producer audio = TestMedia.AudioProducer(new RecordingPublisherFeedback());
        _router.AddProducer(video);
        _router.AddProducer(audio);
        var videoOut = new RecordingEgress();
        var audioOut = new RecordingEgress();
        _router.CreateConsumer(video, "v", "bob", videoOut, 1, 100, 0, 0);
        _router.CreateConsumer(audio, "a", "bob", audioOut, 2, 111, 0, 0);

        audio.Deliver(MediaPackets.Opus(1, 960), TestMedia.T0);
        _router.CloseProducer("video");
        audio.Deliver(MediaPackets.Opus(2, 1920), TestMedia.T0);

        Assert.Empty(videoOut.Rtp);
        Assert.Equal(2, audioOut.Rtp.Count);
        Assert.Equal(2, _listener.Added.Count);
    }
}
