using System.Buffers.Binary;
using MediaRelay.Core;
using MediaRelay.Recording.Capture;
using MediaRelay.Rtp;

namespace MediaRelay.Recording.Tests.Capture;

public sealed class ProducerTapTests
{
    private static PooledPacket RtpPacketIn(PacketPool pool, ushort sequence)
    {
        PooledPacket packet = pool.Rent();
        packet.Buffer[0] = 0x80;
        packet.Buffer[1] = 96;
        BinaryPrimitives.WriteUInt16BigEndian(packet.Buffer.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.Buffer.AsSpan(8), 0x1234);
        packet.Length = 112;
        return packet;
    }

    [Fact]
    public void The_recorded_layer_is_retained_and_queued_other_layers_are_not()
    {
        var pool = new PacketPool(16, preallocate: 16);
        var queue = new TapQueue(8);
        var tap = new ProducerTap(queue, track: 3, layer: 2);
        PooledPacket packet = RtpPacketIn(pool, 7);
        Assert.True(RtpPacket.TryParse(packet.Span, out RtpPacket rtp));

        tap.OnRtp(packet, rtp, 1, 10); // a lower simulcast layer: not recorded
        tap.OnRtp(packet, rtp, 2, 11);
        packet.Release(); // the media loop is done with it; the queue still holds it

        Assert.Equal(1, tap.Queued);
        Assert.True(queue.TryDequeue(out TapItem item));
        Assert.Same(packet, item.Packet);
        Assert.Equal(3, item.Track);
        Assert.Equal(112, item.Length);
        Assert.Equal(11, item.Timestamp);
        Assert.Equal(1, packet.RefCount);
        item.Packet!.Release();
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void A_full_queue_releases_the_packet_at_once_and_counts_the_drop()
    {
        var pool = new PacketPool(16, preallocate: 16);
        var queue = new TapQueue(2);
        var tap = new ProducerTap(queue, track: 0, layer: 0);
        for (ushort i = 0; i < 5; i++)
        {
            PooledPacket packet = RtpPacketIn(pool, i);
            Assert.True(RtpPacket.TryParse(packet.Span, out RtpPacket rtp));
            tap.OnRtp(packet, rtp, 0, i);
            packet.Release();
        }
        Assert.Equal(2, tap.Queued);
        Assert.Equal(3, tap.Dropped);
        Assert.Equal(2, pool.Outstanding); // only the two queued packets are still held
    }

    [Fact]
    public void Sender_reports_of_the_recorded_layer_are_queued()
    {
        var queue = new TapQueue(4);
        var tap = new ProducerTap(queue, track: 1, layer: 0);
        tap.OnSenderReport(0, 0xE000_0000_0000_0000, 90_000, 5);
        tap.OnSenderReport(1, 1, 1, 6);
        Assert.True(queue.TryDequeue(out TapItem item));
        Assert.True(item.IsSenderReport);
        Assert.Equal(90_000u, item.RtpTimestamp);
        Assert.False(queue.TryDequeue(out _));
    }

    [Fact]
    public void Tapping_a_packet_allocates_nothing()
    {
        var pool = new PacketPool(16, preallocate: 16);
        var queue = new TapQueue(16);
        var tap = new ProducerTap(queue, track: 0, layer: 0);
        PooledPacket packet = RtpPacketIn(pool, 1);
        long now = 0;
        Assert.Equal(0, Allocations.Measure(() =>
        {
            RtpPacket.TryParse(packet.Span, out RtpPacket view);
            tap.OnRtp(packet, view, 0, ++now);
            queue.TryDequeue(out TapItem item);
            item.Packet!.Release();
        }));
    }
}
