namespace MediaRelay.Sfu.Tests;

/// <summary>
/// A publisher's RTX "payload padding" (RFC 4588 §4: a sender may retransmit unasked; libwebrtc probes its uplink by
/// re-sending recent packets on the RTX stream) is restored to the original packet before it reaches the producer.
/// Such copies must not be forwarded: the subscriber already has that sequence number, its SRTP replay check
/// (RFC 3711 §3.3.2) discards the copy, and the transport-wide number the copy took is then reported lost.
/// </summary>
public sealed class DuplicateForwardingTests
{
    private readonly Producer _producer = TestMedia.VideoProducer(new RecordingPublisherFeedback());
    private readonly RecordingEgress _egress = new();
    private long _now = TestMedia.T0;

    public DuplicateForwardingTests()
    {
        var router = new Router();
        router.AddProducer(_producer);
        router.CreateConsumer(_producer, "c", "bob", _egress, 0xA0000001, 100, 7, 0);
    }

    private void Deliver(byte[] packet) => _producer.Deliver(packet, _now += TestMedia.Milliseconds(5));

    [Fact]
    public void CopiesOfPacketsAlreadyForwardedAreDroppedOncePerSubscriberStream()
    {
        Deliver(MediaPackets.Vp8KeyFrame(500, 9000));
        Deliver(MediaPackets.Vp8Delta(501, 12000));
        Deliver(MediaPackets.Vp8Delta(502, 15000, marker: true));

        // The publisher probes: the newest packet several times, an older one once.
        for (int i = 0; i < 5; i++)
        {
            Deliver(MediaPackets.Vp8Delta(502, 15000, marker: true));
        }
        Deliver(MediaPackets.Vp8Delta(501, 12000));
        Deliver(MediaPackets.Vp8KeyFrame(500, 9000));

        Assert.Equal(3, _egress.Rtp.Count);
        Assert.Equal(new ushort[] { 7, 8, 9 }, _egress.Rtp.ConvertAll(p => TestMedia.Read(p).SequenceNumber));
        ProducerLayer layer = _producer.Layers[0];
        Assert.Equal(7, layer.DuplicatesDropped);
        Assert.Equal(3, layer.Packets); // the copies are not media the layer carries
    }

    [Fact]
    public void RetransmissionOrReorderedPacketThatFillsAGapIsStillForwarded()
    {
        Deliver(MediaPackets.Vp8KeyFrame(500, 9000));
        Deliver(MediaPackets.Vp8Delta(502, 15000));   // 501 missing
        Deliver(MediaPackets.Vp8Delta(501, 12000));   // the repair (RTX restored, or late)
        Deliver(MediaPackets.Vp8Delta(501, 12000));   // a second repair: a copy

        Assert.Equal(new ushort[] { 7, 9, 8 }, _egress.Rtp.ConvertAll(p => TestMedia.Read(p).SequenceNumber));
        Assert.Equal(1, _producer.Layers[0].DuplicatesDropped);
    }
}
