using MediaRelay.Core;
using MediaRelay.Rtp;
using MediaRelay.Sfu.Recording;

namespace MediaRelay.Sfu.Tests;

/// <summary>A recorder's tap sees each packet once, after de-duplication and before the fan-out, plus sender reports.</summary>
public sealed class ProducerTapTests
{
    private sealed class ListTap : IRtpTap
    {
        public List<ushort> Sequences { get; } = [];
        public List<(int Layer, ulong Ntp, uint Rtp)> Reports { get; } = [];

        public void OnRtp(PooledPacket owner, RtpPacket packet, int layer, long timestamp) => Sequences.Add(packet.SequenceNumber);

        public void OnSenderReport(int layer, ulong ntpTimestamp, uint rtpTimestamp, long timestamp) =>
            Reports.Add((layer, ntpTimestamp, rtpTimestamp));
    }

    private static void DeliverOwned(Producer producer, PacketPool pool, byte[] bytes, long time)
    {
        PooledPacket owner = pool.Rent();
        bytes.CopyTo(owner.Buffer, 0);
        owner.Length = bytes.Length;
        Assert.True(RtpPacket.TryParse(owner.Buffer.AsSpan(0, bytes.Length), out RtpPacket view));
        producer.OnRtp(owner, view, 0, time);
        owner.Release();
    }

    [Fact]
    public void The_tap_sees_each_packet_once_and_the_sender_reports()
    {
        var pool = new PacketPool(64, preallocate: 64);
        Producer producer = TestMedia.VideoProducer(new RecordingPublisherFeedback());
        var tap = new ListTap();
        producer.AttachTap(tap);
        long now = TestMedia.T0;
        DeliverOwned(producer, pool, MediaPackets.Vp8KeyFrame(500, 9000), now += TestMedia.Milliseconds(5));
        DeliverOwned(producer, pool, MediaPackets.Vp8Delta(501, 12000), now += TestMedia.Milliseconds(5));
        DeliverOwned(producer, pool, MediaPackets.Vp8Delta(501, 12000), now += TestMedia.Milliseconds(5)); // a copy
        producer.OnSenderReport(0, 0xE1234567_89ABCDEF, 12000, now);

        Assert.Equal(new ushort[] { 500, 501 }, tap.Sequences);
        Assert.Equal([(0, 0xE1234567_89ABCDEFUL, 12000u)], tap.Reports);

        producer.AttachTap(null);
        DeliverOwned(producer, pool, MediaPackets.Vp8Delta(502, 15000), now += TestMedia.Milliseconds(5));
        Assert.Equal(2, tap.Sequences.Count);
    }
}
