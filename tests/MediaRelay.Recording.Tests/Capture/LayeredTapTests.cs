using System.Buffers.Binary;
using MediaRelay.Core;
using MediaRelay.Recording.Capture;
using MediaRelay.Rtp;

namespace MediaRelay.Recording.Tests.Capture;

/// <summary>A simulcast producer's packets and sender reports reach the journal track of their own layer.</summary>
public sealed class LayeredTapTests
{
    private static PooledPacket Packet(PacketPool pool)
    {
        PooledPacket packet = pool.Rent();
        packet.Buffer[0] = 0x80;
        packet.Buffer[1] = 96;
        BinaryPrimitives.WriteUInt32BigEndian(packet.Buffer.AsSpan(8), 0x1234);
        packet.Length = 100;
        return packet;
    }

    [Fact]
    public void Each_layer_goes_to_its_own_track_and_an_unknown_layer_nowhere()
    {
        var pool = new PacketPool(16, preallocate: 16);
        var queue = new TapQueue(16);
        var layers = new[] { new ProducerTap(queue, track: 4, layer: 0), new ProducerTap(queue, track: 5, layer: 1), new ProducerTap(queue, track: 6, layer: 2) };
        var tap = new LayeredTap(layers);
        PooledPacket packet = Packet(pool);
        Assert.True(RtpPacket.TryParse(packet.Span, out RtpPacket rtp));

        tap.OnRtp(packet, rtp, 2, 1);
        tap.OnRtp(packet, rtp, 0, 2);
        tap.OnRtp(packet, rtp, 7, 3); // no such layer: ignored, not retained
        tap.OnSenderReport(1, 42, 9000, 4);
        packet.Release();

        Assert.Equal([1L, 0L, 1L], layers.Select(l => l.Queued));
        int[] tracks = [.. Drain(queue).Select(i => i.Track)];
        Assert.Equal([6, 4, 5], tracks);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void Tapping_a_layer_allocates_nothing()
    {
        var pool = new PacketPool(16, preallocate: 16);
        var queue = new TapQueue(16);
        var tap = new LayeredTap([new ProducerTap(queue, 0, 0), new ProducerTap(queue, 1, 1)]);
        PooledPacket packet = Packet(pool);
        long now = 0;
        Assert.Equal(0, Allocations.Measure(() =>
        {
            RtpPacket.TryParse(packet.Span, out RtpPacket view);
            tap.OnRtp(packet, view, (int)(now & 1), ++now);
            queue.TryDequeue(out TapItem item);
            item.Packet!.Release();
        }));
    }

    private static List<TapItem> Drain(TapQueue queue)
    {
        var items = new List<TapItem>();
        while (queue.TryDequeue(out TapItem item))
        {
            items.Add(item);
            item.Packet?.Release();
        }
        return items;
    }
}
