using System.Buffers.Binary;
using MediaRelay.Core;
using MediaRelay.Rtp;
using MediaRelay.Rtp.Codecs;
using MediaRelay.Rtp.Rtcp;

namespace MediaRelay.Sfu.Tests;

/// <summary>
/// VP8 picture numbering across simulcast layer switches (RFC 7741 §4.2): each layer has its own PictureID and
/// TL0PICIDX sequence, and the subscriber sees one: the key frame that switches continues from the last picture
/// sent, the layer's later pictures follow it (through the 15-bit wrap), and a retransmission carries the numbers
/// the packet had the first time.
/// </summary>
public sealed class Vp8NumberingTests
{
    private const uint MediaSsrc = 0xC0FFEE;
    private const uint RtxSsrc = 0xBEEF01;
    private const byte RtxPayloadType = 101;
    private static readonly uint[] LayerSsrcs = [0xA1, 0xA2, 0xA3];
    private static readonly int[] Widths = [240, 480, 960];
    private readonly PacketPool _pool = new(256, preallocate: 0);
    private readonly TransportCcEgress _egress = new(0);
    private readonly Producer _producer;
    private readonly Consumer _consumer;
    private readonly ushort[] _sequences = [100, 5000, 60000];
    private readonly uint[] _timestamps = [1_000, 2_000_000, 3_000_000_000];
    private readonly int[] _pictureIds = [10, 20_000, 32_760]; // layer 2 wraps 32767 -> 0 below
    private readonly int[] _tl0s = [5, 200, 254];
    private long _now = TestMedia.T0;

    public Vp8NumberingTests()
    {
        _producer = new Producer("cam", "alice", MediaKind.Video, TrackSource.Camera, "1", TestMedia.Vp8, ["q", "h", "f"],
            new RecordingPublisherFeedback());
        for (int i = 0; i < 3; i++)
        {
            _producer.BindSsrc(i, LayerSsrcs[i]);
        }
        SendFrame(keyFrame: true); // every layer's size is known when the subscriber arrives
        var router = new Router();
        router.AddProducer(_producer);
        _consumer = router.CreateConsumer(_producer, "c", "bob", _egress, MediaSsrc, 100, 7, 0,
            rtxSsrc: RtxSsrc, rtxPayloadType: RtxPayloadType);
    }

    [Fact]
    public void Switching_layers_continues_the_picture_numbering_the_subscriber_saw()
    {
        _consumer.SetPreferredWidth(400);
        SendFrame(keyFrame: true);
        for (int i = 0; i < 3; i++)
        {
            SendFrame(keyFrame: false);
        }
        Assert.Equal(1, _consumer.CurrentLayer);
        (int PictureId, int Tl0)[] before = Numbers();
        Assert.Equal((20_001, 201), before[0]); // the first sync point passes the layer's own numbers through

        _consumer.SetPreferredWidth(900);
        SendFrame(keyFrame: false); // still layer 1 while layer 2's key frame is awaited
        SendFrame(keyFrame: true);  // switch to layer 2, whose own numbers are 32,765 and TL0 255
        for (int i = 0; i < 5; i++)
        {
            SendFrame(keyFrame: false); // layer 2's own PictureID wraps to 0 on the way
        }
        Assert.Equal(2, _consumer.CurrentLayer);

        (int PictureId, int Tl0)[] all = Numbers();
        Assert.Equal(12, all.Length); // 4 + 1 of layer 1; the switching frame's layer 1 packet, then 6 of layer 2
        for (int i = 1; i < all.Length; i++)
        {
            Assert.Equal((all[i - 1].PictureId + 1) & 0x7FFF, all[i].PictureId); // no jump at the switch or the wrap
            Assert.Equal((all[i - 1].Tl0 + 1) & 0xFF, all[i].Tl0);
        }
        Assert.Equal(1, _consumer.LayerSwitches);
    }

    [Fact]
    public void A_retransmission_after_a_switch_carries_the_numbers_sent_the_first_time()
    {
        _consumer.SetPreferredWidth(400);
        SendFrame(keyFrame: true);
        _consumer.SetPreferredWidth(900);
        SendFrame(keyFrame: true);
        SendFrame(keyFrame: false);
        Assert.Equal(2, _consumer.CurrentLayer);
        SentPacket lost = TestMedia.Read(_egress.Sent[^1].Packet);
        _now += TestMedia.Milliseconds(100);

        byte[] wire = new byte[RtcpNack.GetMaxLength(1)];
        int length = RtcpNack.Write(wire, 1, MediaSsrc, [lost.SequenceNumber]);
        Assert.True(RtcpNack.TryParse(wire.AsSpan(0, length), out RtcpNack nack));
        _consumer.OnNack(nack, _now);

        SentPacket rtx = TestMedia.Read(_egress.Sent[^1].Packet);
        Assert.Equal(RtxSsrc, rtx.Ssrc);
        Assert.Equal(lost.SequenceNumber, BinaryPrimitives.ReadUInt16BigEndian(rtx.Payload));
        Assert.Equal(lost.Payload, rtx.Payload[2..]); // the rewritten descriptor, not the publisher's
        Assert.True(Vp8PayloadDescriptor.TryParse(lost.Payload, out Vp8PayloadDescriptor sent));
        Assert.NotEqual(_pictureIds[2] - 1, sent.PictureId);
    }

    /// <summary>PictureID and TL0PICIDX of every media packet the subscriber received, in order.</summary>
    private (int PictureId, int Tl0)[] Numbers() =>
    [
        .. _egress.Sent.Select(s => TestMedia.Read(s.Packet)).Where(p => p.Ssrc == MediaSsrc).Select(p =>
        {
            Assert.True(Vp8PayloadDescriptor.TryParse(p.Payload, out Vp8PayloadDescriptor d));
            Assert.True(d.HasLongPictureId);
            return (d.PictureId, d.Tl0PicIdx);
        }),
    ];

    /// <summary>One one-packet frame on every layer, 33 ms after the previous; each is a TL0 picture.</summary>
    private void SendFrame(bool keyFrame)
    {
        _now += TestMedia.Milliseconds(33);
        for (int layer = 0; layer < 3; layer++)
        {
            byte[] packet = MediaPackets.Build(true, MediaPackets.Vp8PayloadType, _sequences[layer], _timestamps[layer],
                LayerSsrcs[layer], Payload(layer, keyFrame), false, 0);
            PooledPacket pooled = _pool.Rent(); // as the media loop does: a copy the layer's cache may keep for NACKs
            packet.CopyTo(pooled.Buffer, 0);
            pooled.Length = packet.Length;
            Assert.True(RtpPacket.TryParse(pooled.Buffer.AsSpan(0, packet.Length), out RtpPacket view));
            _producer.OnRtp(pooled, view, layer, _now);
            pooled.Release();
            _sequences[layer]++;
            _timestamps[layer] += 3000;
            _pictureIds[layer] = (_pictureIds[layer] + 1) & 0x7FFF;
            _tl0s[layer] = (_tl0s[layer] + 1) & 0xFF;
        }
    }

    /// <summary>RFC 7741 §4.2 descriptor with a 15-bit PictureID and TL0PICIDX, then a §4.3 / RFC 6386 §9.1 frame.</summary>
    private byte[] Payload(int layer, bool keyFrame)
    {
        byte[] frame = MediaPackets.Vp8SizedPayload(Widths[layer], keyFrame);
        byte[] payload = new byte[frame.Length + 4];
        payload[0] = 0x90; // X, S, PID 0
        payload[1] = 0xC0; // I, L
        payload[2] = (byte)(0x80 | (_pictureIds[layer] >> 8));
        payload[3] = (byte)_pictureIds[layer];
        payload[4] = (byte)_tl0s[layer];
        frame.AsSpan(1).CopyTo(payload.AsSpan(5)); // the frame after its own one-byte descriptor
        return payload;
    }
}
