namespace MediaRelay.Sfu.Tests;

/// <summary>
/// One producer, several consumers: each rewrites SSRC, payload type, sequence and timestamp into its own buffer
/// (RFC 3550 §7.2 translator rules; ARCHITECTURE habit 4) and leaves the shared plaintext alone.
/// </summary>
public class FanOutTests
{
    private sealed record Subscriber(Consumer Consumer, RecordingEgress Egress, uint Ssrc, byte PayloadType,
        ushort InitialSequence, uint InitialTimestamp);

    // The input: gaps (1002, 1005..1009 missing), a reordered pair, markers, an extension and padding on the wire.
    private static List<byte[]> InputStream()
    {
        const uint ts = 5000;
        return
        [
            MediaPackets.Vp8KeyFrame(1000, ts, withExtension: true),
            MediaPackets.Vp8Continuation(1001, ts, marker: true),
            MediaPackets.Vp8Delta(1003, ts + 3000, withExtension: true, padding: 17),
            MediaPackets.Vp8Delta(1004, ts + 6000, marker: true, payloadLength: 1100),
            MediaPackets.Vp8Delta(1010, ts + 9000, marker: true),
            MediaPackets.Vp8Delta(1012, ts + 12000),
            MediaPackets.Vp8Continuation(1011, ts + 9000, marker: true),
            MediaPackets.Vp8Continuation(1013, ts + 12000, marker: true),
        ];
    }

    private static List<Subscriber> Subscribe(Router router, Producer producer, int count, bool scribble = false)
    {
        var subscribers = new List<Subscriber>();
        for (int i = 0; i < count; i++)
        {
            var egress = new RecordingEgress { ScribbleAfterSend = scribble };
            uint ssrc = 0xA0000000u + (uint)i;
            byte pt = (byte)(100 + i);
            ushort seq = (ushort)(65530 + i * 1000); // the first ones wrap around 65535 -> 0 on output
            uint timestamp = uint.MaxValue - 4000 + (uint)i * 777_777; // the first one wraps on output too
            Consumer consumer = router.CreateConsumer(producer, $"c{i}", $"bob{i}", egress, ssrc, pt, seq, timestamp);
            subscribers.Add(new Subscriber(consumer, egress, ssrc, pt, seq, timestamp));
        }
        return subscribers;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(15)]
    public void EachConsumerRewritesHeaderIntoItsOwnSpaceAndKeepsPayload(int consumers)
    {
        var router = new Router();
        var producer = TestMedia.VideoProducer(new RecordingPublisherFeedback());
        router.AddProducer(producer);
        List<Subscriber> subscribers = Subscribe(router, producer, consumers);
        List<byte[]> input = InputStream();
        List<byte[]> snapshot = input.ConvertAll(p => (byte[])p.Clone());

        long time = TestMedia.T0;
        foreach (byte[] packet in input)
        {
            producer.Deliver(packet, time += TestMedia.Milliseconds(10));
        }

        for (int i = 0; i < input.Count; i++)
        {
            Assert.Equal(snapshot[i], input[i]); // the producer's plaintext is never rewritten
        }
        SentPacket first = TestMedia.Read(input[0]);
        foreach (Subscriber s in subscribers)
        {
            Assert.Equal(input.Count, s.Egress.Rtp.Count);
            for (int i = 0; i < input.Count; i++)
            {
                SentPacket inPacket = TestMedia.Read(input[i]);
                SentPacket outPacket = TestMedia.Read(s.Egress.Rtp[i]);
                Assert.Equal(2, outPacket.Version);
                Assert.Equal(s.Ssrc, outPacket.Ssrc);
                Assert.Equal(s.PayloadType, outPacket.PayloadType);
                Assert.Equal((ushort)(s.InitialSequence + (ushort)(inPacket.SequenceNumber - first.SequenceNumber)),
                    outPacket.SequenceNumber);
                Assert.Equal(unchecked(s.InitialTimestamp + (inPacket.Timestamp - first.Timestamp)), outPacket.Timestamp);
                Assert.Equal(inPacket.Marker, outPacket.Marker);
                Assert.Equal(inPacket.Payload, outPacket.Payload);
                Assert.Equal(12, outPacket.HeaderLength);
                Assert.False(outPacket.HasPadding);
                Assert.Equal(12 + inPacket.Payload.Length, s.Egress.Rtp[i].Length);
            }
            Assert.Equal(input.Count, s.Consumer.PacketsSent);
            Assert.Equal(0, s.Consumer.PacketsDropped);
            long bytes = 0;
            foreach (byte[] sent in s.Egress.Rtp)
            {
                bytes += sent.Length;
            }
            Assert.Equal(bytes, s.Consumer.BytesSent);
        }
        Assert.Equal(input.Count, producer.PacketsReceived);
    }

    [Fact]
    public void ConsumersSendFromTheirOwnBuffersNeverTheInput()
    {
        var router = new Router();
        var producer = TestMedia.VideoProducer(new RecordingPublisherFeedback());
        router.AddProducer(producer);
        List<Subscriber> subscribers = Subscribe(router, producer, 4);
        List<byte[]> input = InputStream();

        foreach (byte[] packet in input)
        {
            producer.Deliver(packet, TestMedia.T0);
        }

        var seen = new HashSet<byte[]>(ReferenceEqualityComparer.Instance);
        foreach (Subscriber s in subscribers)
        {
            byte[] own = s.Egress.Buffers[0];
            foreach (byte[] buffer in s.Egress.Buffers)
            {
                Assert.Same(own, buffer); // one reusable send buffer per consumer
                Assert.DoesNotContain(buffer, input);
            }
            Assert.True(seen.Add(own), "two consumers share a send buffer");
            Assert.True(own.Length >= 1200 + 12 + Consumer.ProtectionHeadroom);
        }
    }

    [Fact]
    public void ProtectingInPlaceDoesNotCorruptTheInputOrTheNextConsumer()
    {
        var router = new Router();
        var producer = TestMedia.VideoProducer(new RecordingPublisherFeedback());
        router.AddProducer(producer);
        List<Subscriber> scribblers = Subscribe(router, producer, 3, scribble: true);
        List<byte[]> input = InputStream();
        List<byte[]> snapshot = input.ConvertAll(p => (byte[])p.Clone());

        foreach (byte[] packet in input)
        {
            producer.Deliver(packet, TestMedia.T0);
        }

        for (int i = 0; i < input.Count; i++)
        {
            Assert.Equal(snapshot[i], input[i]);
            foreach (Subscriber s in scribblers)
            {
                Assert.Equal(TestMedia.PayloadOf(input[i]), TestMedia.Read(s.Egress.Rtp[i]).Payload);
            }
        }
    }

    [Fact]
    public void RefusedSendsAreCountedAsDropsAndKeepTheSequenceSpace()
    {
        var router = new Router();
        var producer = TestMedia.VideoProducer(new RecordingPublisherFeedback());
        router.AddProducer(producer);
        var egress = new RecordingEgress();
        Consumer consumer = router.CreateConsumer(producer, "c", "bob", egress, 7, 98, 10, 0);

        producer.Deliver(MediaPackets.Vp8KeyFrame(1, 0), TestMedia.T0);
        egress.Accept = false;
        producer.Deliver(MediaPackets.Vp8Delta(2, 3000), TestMedia.T0);
        egress.Accept = true;
        producer.Deliver(MediaPackets.Vp8Delta(3, 6000), TestMedia.T0);

        Assert.Equal(2, consumer.PacketsSent);
        Assert.Equal(1, consumer.PacketsDropped);
        Assert.Equal([10, 11, 12], egress.Rtp.ConvertAll(p => (int)TestMedia.Read(p).SequenceNumber));
    }

    [Fact]
    public void OversizedPacketIsDroppedNotTruncated()
    {
        var router = new Router();
        var producer = TestMedia.AudioProducer(new RecordingPublisherFeedback());
        router.AddProducer(producer);
        var egress = new RecordingEgress();
        Consumer consumer = router.CreateConsumer(producer, "c", "bob", egress, 7, 111, 10, 0);

        // Fits: header 12 + payload + SRTP headroom within the 1536-byte send buffer.
        producer.Deliver(MediaPackets.Opus(1, 0, payloadLength: 1536 - 12 - Consumer.ProtectionHeadroom), TestMedia.T0);
        producer.Deliver(MediaPackets.Opus(2, 960, payloadLength: 1536 - 12 - Consumer.ProtectionHeadroom + 1), TestMedia.T0);

        Assert.Single(egress.Rtp);
        Assert.Equal(1, consumer.PacketsDropped);
    }
}
