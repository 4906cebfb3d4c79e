using System.Buffers.Binary;
using MediaRelay.Core;
using MediaRelay.Rtp;
using MediaRelay.Rtp.Rtcp;
using MediaRelay.Sfu.Pacing;
using MediaRelay.Testing;

namespace MediaRelay.Sfu.Tests;

/// <summary>
/// What a subscriber that negotiated RTX (RFC 4588) and transport-cc receives: NACKed packets come back on the RTX
/// SSRC with the original sequence number in front of the original payload (§4); padding probes ride the RTX stream
/// with the P bit; every packet carries a reserved transport-wide sequence number element the transport stamps.
/// </summary>
public sealed class RtxRetransmissionTests
{
    private const uint MediaSsrc = 0xC0FFEE;
    private const uint RtxSsrc = 0xBEEF01;
    private const byte RtxPayloadType = 101;
    private const int TransportCcId = 3;
    private readonly PacketPool _pool = new(64, preallocate: 0);
    private readonly TransportCcEgress _egress = new(TransportCcId);
    private readonly Producer _producer;
    private readonly Consumer _consumer;
    private long _now = TestMedia.T0;

    public RtxRetransmissionTests()
    {
        _producer = TestMedia.VideoProducer(new RecordingPublisherFeedback());
        var router = new Router();
        router.AddProducer(_producer);
        _consumer = router.CreateConsumer(_producer, "c", "bob", _egress, MediaSsrc, 100, 7, 0,
            rtxSsrc: RtxSsrc, rtxPayloadType: RtxPayloadType);
    }

    [Fact]
    public void Nacked_packet_returns_on_the_rtx_stream_with_its_original_sequence_number()
    {
        Deliver(MediaPackets.Vp8KeyFrame(500, 9000));
        Deliver(MediaPackets.Vp8Delta(501, 12000));
        Deliver(MediaPackets.Vp8Delta(502, 15000));
        SentPacket lostOne = TestMedia.Read(_egress.Sent[1].Packet);
        byte[] originalPayload = lostOne.Payload;

        Nack(lostOne.SequenceNumber);

        Assert.Equal(4, _egress.Sent.Count);
        (byte[] rtx, PacketPriority priority) = _egress.Sent[3];
        Assert.Equal(PacketPriority.Retransmission, priority);
        SentPacket r = TestMedia.Read(rtx);
        Assert.Equal((RtxSsrc, RtxPayloadType, lostOne.Timestamp), (r.Ssrc, r.PayloadType, r.Timestamp));
        Assert.Equal(lostOne.SequenceNumber, BinaryPrimitives.ReadUInt16BigEndian(r.Payload)); // OSN
        Assert.Equal(originalPayload, r.Payload[2..]);
        Assert.Equal(1, _consumer.Retransmitted);

        // A second NACK for another packet: the RTX stream counts on by one (§4: its own sequence space).
        _now += TestMedia.Milliseconds(300);
        Nack(TestMedia.Read(_egress.Sent[2].Packet).SequenceNumber);
        Assert.Equal((ushort)(r.SequenceNumber + 1), TestMedia.Read(_egress.Sent[^1].Packet).SequenceNumber);
    }

    [Fact]
    public void Every_packet_reserves_the_transport_wide_sequence_number_for_the_transport_to_stamp()
    {
        Deliver(MediaPackets.Vp8KeyFrame(500, 9000));
        byte[] sent = _egress.Sent[0].Packet;
        Assert.True(RtpPacket.TryParse(sent, out RtpPacket view));
        Assert.True(view.TryGetExtension(TransportCcId, out ReadOnlySpan<byte> reserved));
        Assert.Equal(2, reserved.Length);

        Assert.True(TransportSequenceNumber.TryStamp(sent, TransportCcId, 0xABCD));
        Assert.True(RtpPacket.TryParse(sent, out view));
        Assert.True(view.TryGetExtension(TransportCcId, out ReadOnlySpan<byte> stamped));
        Assert.Equal(0xABCD, BinaryPrimitives.ReadUInt16BigEndian(stamped));
        Assert.False(TransportSequenceNumber.TryStamp(sent, TransportCcId + 1, 1)); // another id: not ours to touch
        Assert.False(TransportSequenceNumber.TryStamp(MediaPackets.Vp8Delta(1, 1, withExtension: true), TransportCcId, 1));
    }

    [Fact]
    public void Padding_probes_ride_the_rtx_stream_and_carry_only_padding()
    {
        Assert.Equal(0, _consumer.SendPadding(200)); // nothing sent yet: no timestamp to pad at
        Deliver(MediaPackets.Vp8KeyFrame(500, 9000));
        SentPacket media = TestMedia.Read(_egress.Sent[0].Packet);

        int bytes = _consumer.SendPadding(200);

        (byte[] padding, PacketPriority priority) = _egress.Sent[^1];
        Assert.Equal(bytes, padding.Length);
        Assert.Equal(PacketPriority.Padding, priority);
        Assert.True(RtpPacket.TryParse(padding, out RtpPacket view));
        Assert.True(view.HasPadding);
        Assert.Equal(0, view.PayloadLength); // RFC 3550 §5.1: the last byte counts the padding, header excluded
        Assert.Equal(200, padding[^1]);
        Assert.Equal((RtxSsrc, RtxPayloadType, media.Timestamp), (view.Ssrc, view.PayloadType, view.Timestamp));
        Assert.Equal(1, _consumer.PacketsSent); // padding is not media
    }

    [Fact]
    public void Without_rtx_a_nacked_packet_is_resent_on_the_media_ssrc()
    {
        var egress = new TransportCcEgress(0);
        var router = new Router();
        Producer producer = TestMedia.VideoProducer(new RecordingPublisherFeedback(), id: "v2");
        router.AddProducer(producer);
        Consumer consumer = router.CreateConsumer(producer, "c2", "bob", egress, MediaSsrc, 100, 7, 0);
        DeliverTo(producer, MediaPackets.Vp8KeyFrame(500, 9000));
        SentPacket first = TestMedia.Read(egress.Sent[0].Packet);

        Span<byte> wire = stackalloc byte[RtcpNack.GetMaxLength(1)];
        int length = RtcpNack.Write(wire, 1, MediaSsrc, [first.SequenceNumber]);
        Assert.True(RtcpNack.TryParse(wire[..length], out RtcpNack nack));
        consumer.OnNack(nack, _now);

        SentPacket again = TestMedia.Read(egress.Sent[^1].Packet);
        Assert.Equal(2, egress.Sent.Count);
        Assert.Equal((first.Ssrc, first.PayloadType, first.SequenceNumber, first.Timestamp),
            (again.Ssrc, again.PayloadType, again.SequenceNumber, again.Timestamp));
        Assert.Equal(first.Payload, again.Payload);
        Assert.False(again.HasExtension); // no transport-cc: no extension block at all
        Assert.Equal(0, consumer.SendPadding(200)); // and no padding without an RTX stream
    }

    [Fact]
    public void Retransmitting_and_padding_allocate_nothing()
    {
        var sink = new CountingEgress(TransportCcId);
        var router = new Router();
        Producer producer = TestMedia.VideoProducer(new RecordingPublisherFeedback(), id: "v3");
        router.AddProducer(producer);
        Consumer consumer = router.CreateConsumer(producer, "c3", "bob", sink, MediaSsrc, 100, 7, 0, 0, RtxSsrc, RtxPayloadType);
        DeliverTo(producer, MediaPackets.Vp8KeyFrame(1, 9000));
        DeliverTo(producer, MediaPackets.Vp8Delta(2, 12000));
        byte[] wire = new byte[RtcpNack.GetMaxLength(1)];
        int length = RtcpNack.Write(wire, 1, MediaSsrc, [sink.LastSequence]);
        long sentBefore = sink.Count;

        void Round()
        {
            for (int i = 0; i < 10_000; i++)
            {
                _now += TestMedia.Milliseconds(1);
                consumer.SendPadding(200);
                RtcpNack.TryParse(wire.AsSpan(0, length), out RtcpNack nack);
                consumer.OnNack(nack, _now);
            }
        }
        Round(); // warm-up
        Assert.Equal(0, AllocationMeter.Measure(Round, out int runs));
        long sent = sink.Count - sentBefore;
        Assert.True(sent >= 10_000L * (1 + runs), $"{sent} sent in {1 + runs} rounds"); // padding every time
        Assert.True(consumer.Retransmitted > 0);
    }

    private void Nack(ushort sequence)
    {
        Span<byte> wire = stackalloc byte[RtcpNack.GetMaxLength(1)];
        int length = RtcpNack.Write(wire, 1, MediaSsrc, [sequence]);
        Assert.True(RtcpNack.TryParse(wire[..length], out RtcpNack nack));
        _consumer.OnNack(nack, _now);
    }

    private void Deliver(byte[] packet) => DeliverTo(_producer, packet);

    /// <summary>As the media loop does: a pooled copy the producer may keep for retransmission.</summary>
    private void DeliverTo(Producer producer, byte[] bytes)
    {
        _now += TestMedia.Milliseconds(33);
        PooledPacket pooled = _pool.Rent();
        bytes.CopyTo(pooled.Buffer, 0);
        pooled.Length = bytes.Length;
        Assert.True(RtpPacket.TryParse(pooled.Buffer.AsSpan(0, bytes.Length), out RtpPacket view));
        producer.OnRtp(pooled, view, 0, _now);
        pooled.Release();
    }

    /// <summary>Counts and stamps like a real transport, keeping nothing (for the allocation test).</summary>
    private sealed class CountingEgress(int id) : IRtpEgress
    {
        private ushort _sequence;
        public int Count { get; private set; }
        public ushort LastSequence { get; private set; }
        public int TransportCcExtensionId => id;
        public bool SendRtp(byte[] buffer, int length) => SendRtp(buffer, length, PacketPriority.Video);

        public bool SendRtp(byte[] buffer, int length, PacketPriority priority)
        {
            TransportSequenceNumber.TryStamp(buffer.AsSpan(0, length), id, _sequence++);
            if (priority == PacketPriority.Video)
            {
                LastSequence = BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(2));
            }
            Count++;
            return true;
        }

        public bool SendRtcp(byte[] buffer, int length) => true;
    }
}
