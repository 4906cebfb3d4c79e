using MediaRelay.Core;
using MediaRelay.Sfu.Pacing;
using MediaRelay.Testing;
using static MediaRelay.Sfu.Tests.Pacing.PacingClock;

namespace MediaRelay.Sfu.Tests.Pacing;

/// <summary>Overflow, pool ownership, bad input and allocation behaviour of the pacer.</summary>
public class PacedSenderQueueTests
{
    private const long OneMbps = 1_000_000;

    [Fact]
    public void OverflowDropsVideoNeverAudioAndCountsIt()
    {
        var transport = new RecordingPacedTransport();
        var pool = new PacketPool(1024, preallocate: 0);
        var pacer = new PacedSender(transport, pool, maxQueuedPackets: 16);
        pacer.SetRate(OneMbps);

        int accepted = 0;
        for (int i = 0; i < 40; i++)
        {
            accepted += pacer.Send(Packet(1200, i), 1200, PacketPriority.Video, At(0)) ? 1 : 0;
        }
        Assert.Equal(2 + 16, accepted); // two sent at once, sixteen queued
        Assert.Equal(16, pacer.QueuedPackets);
        Assert.Equal(22, pacer.Dropped);

        for (int i = 0; i < 50; i++)
        {
            Assert.True(pacer.Send(Packet(100, 900 + i), 100, PacketPriority.Audio, At(1)));
        }
        Assert.Equal(52, transport.Sent.Count);
        Assert.Equal(22, pacer.Dropped);
        Assert.False(pacer.Send(Packet(1200, 99), 1200, PacketPriority.Retransmission, At(1)));
        Assert.Equal(23, pacer.Dropped);

        pacer.Clear();
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void OverflowEvictsQueuedPaddingFirst()
    {
        var transport = new RecordingPacedTransport();
        var pool = new PacketPool(1024, preallocate: 0);
        var pacer = new PacedSender(transport, pool, maxQueuedPackets: 8);
        pacer.SetRate(OneMbps);
        pacer.Send(Packet(1200, 0), 1200, PacketPriority.Video, At(0));
        pacer.Send(Packet(1200, 1), 1200, PacketPriority.Video, At(0)); // budget spent
        for (int i = 0; i < 4; i++)
        {
            Assert.True(pacer.Send(Packet(1200, 10 + i), 1200, PacketPriority.Video, At(0)));
            Assert.True(pacer.Send(Packet(300, 100 + i), 300, PacketPriority.Padding, At(0)));
        }
        Assert.Equal(8, pacer.QueuedPackets);

        Assert.False(pacer.Send(Packet(300, 200), 300, PacketPriority.Padding, At(0))); // new padding is dropped
        Assert.Equal(1, pacer.Dropped);
        Assert.True(pacer.Send(Packet(1200, 20), 1200, PacketPriority.Retransmission, At(0))); // evicts padding
        Assert.True(pacer.Send(Packet(1200, 21), 1200, PacketPriority.Video, At(0)));           // evicts padding
        Assert.Equal(3, pacer.Dropped);
        Assert.Equal(8, pacer.QueuedPackets);

        for (double t = 5; pacer.QueuedPackets > 0; t += 5)
        {
            pacer.OnTick(At(t));
        }
        int[] ids = transport.Sent.Select(s => IdOf(s.Bytes)).ToArray();
        Assert.Equal(new[] { 0, 1, 20, 10, 11, 12, 13, 21 }, ids); // remaining padding expired behind ~60 ms of media
        Assert.Equal(2, pacer.ExpiredPadding);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void ExhaustedPoolDropsVideoButStillSendsAudio()
    {
        var transport = new RecordingPacedTransport();
        var pool = new PacketPool(4, preallocate: 0);
        var pacer = new PacedSender(transport, pool);
        pacer.SetRate(OneMbps);
        for (int i = 0; i < 10; i++)
        {
            pacer.Send(Packet(1200, i), 1200, PacketPriority.Video, At(0));
        }
        Assert.Equal(4, pacer.QueuedPackets);
        Assert.Equal(4, pacer.Dropped);
        Assert.True(pacer.Send(Packet(100, 50), 100, PacketPriority.Audio, At(0)));
        Assert.Equal(PacketPriority.Audio, transport.Sent[^1].Priority);

        pacer.Clear();
        Assert.Equal(0, pool.Outstanding);
        Assert.Equal(0, pacer.QueuedPackets);
        Assert.Equal(0, pacer.QueuedBytes);
    }

    [Fact]
    public void ClearReturnsEveryBufferToThePool()
    {
        var pool = new PacketPool(4096, preallocate: 16);
        var held = pool.Rent(); // someone else's packet: the baseline
        int baseline = pool.Outstanding;
        var pacer = new PacedSender(new RecordingPacedTransport(), pool);
        pacer.SetRate(OneMbps);
        for (int i = 0; i < 300; i++)
        {
            var priority = (PacketPriority)(1 + (i % 3));
            pacer.Send(Packet(1000, i), 1000, priority, At(i / 10.0));
        }
        Assert.True(pacer.QueuedPackets > 250);
        Assert.Equal(baseline + pacer.QueuedPackets, pool.Outstanding);

        pacer.Clear();
        Assert.Equal(baseline, pool.Outstanding);
        Assert.Equal(0, pacer.QueuedPackets);
        Assert.Equal(TimeSpan.Zero, pacer.QueueDelay(At(100)));
        held.Release();
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void QueuedPacketsAreReleasedEvenWhenTheTransportRefusesThem()
    {
        var transport = new RecordingPacedTransport();
        var pool = new PacketPool(64, preallocate: 0);
        var pacer = new PacedSender(transport, pool);
        pacer.SetRate(OneMbps);
        for (int i = 0; i < 10; i++)
        {
            pacer.Send(Packet(1200, i), 1200, PacketPriority.Video, At(0));
        }
        transport.Accept = false;
        Assert.False(pacer.Send(Packet(100, 99), 100, PacketPriority.Audio, At(0)));
        pacer.OnTick(At(10));
        Assert.Equal(0, pacer.QueuedPackets); // refused sends do not consume budget: all leave at once
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void GarbageInputNeverThrows()
    {
        var pool = new PacketPool(64, preallocate: 0);
        var pacer = new PacedSender(new RecordingPacedTransport(), pool);
        pacer.SetRate(OneMbps);
        byte[] buffer = Packet(1200, 1);
        Assert.False(pacer.Send(null!, 10, PacketPriority.Video, At(0)));
        Assert.False(pacer.Send(buffer, 0, PacketPriority.Video, At(0)));
        Assert.False(pacer.Send(buffer, -1, PacketPriority.Audio, At(0)));
        Assert.False(pacer.Send(buffer, 1537, PacketPriority.Video, At(0)));
        Assert.False(pacer.Send(buffer, 1505, PacketPriority.Audio, At(0))); // no room for the SRTP trailer
        Assert.False(pacer.Send(buffer, 100, (PacketPriority)7, At(0)));
        Assert.False(pacer.Send(buffer, 100, (PacketPriority)(-1), At(0)));

        var random = new Random(7);
        for (int i = 0; i < 5_000; i++)
        {
            byte[] data = new byte[random.Next(0, 1600)];
            random.NextBytes(data);
            int length = random.Next(-5, data.Length + 5);
            long now = At(random.Next(-1000, 1000)); // time may even go backwards
            pacer.Send(data, length, (PacketPriority)random.Next(-1, 5), now);
            if (i % 7 == 0)
            {
                pacer.OnTick(now);
            }
            if (i % 500 == 0)
            {
                pacer.SetRate(random.Next(0, 3) * 500_000L);
            }
        }
        pacer.Clear();
        Assert.Equal(0, pool.Outstanding);
        Assert.Throws<ArgumentException>(() => pacer.SetRate(-1));
    }

    [Fact]
    public void QueuePathAllocatesNothingAfterWarmUp()
    {
        var transport = new CountingPacedTransport();
        var pool = new PacketPool(4096, preallocate: 256);
        var pacer = new PacedSender(transport, pool);
        pacer.SetRate(10 * OneMbps);
        byte[] buffer = Packet(1200, 1);
        transport.CallerBuffer = buffer;
        long now = At(0);
        long step = At(1) - At(0);

        void Run(int packets)
        {
            for (int i = 0; i < packets; i++)
            {
                // 2 packets per ms = 19.2 Mbps offered to a 10 Mbps pacer: the queue path and the drain both run.
                pacer.Send(buffer, 1200, (i & 7) == 0 ? PacketPriority.Retransmission : PacketPriority.Video, now);
                if ((i & 1) == 1)
                {
                    now += step;
                    pacer.OnTick(now);
                }
            }
        }

        Run(20_000); // warm-up grows the rings to their working size
        long fewestFromQueue = long.MaxValue;
        long allocated = AllocationMeter.Measure(() =>
        {
            long fromQueue = transport.FromQueue;
            Run(10_000);
            fewestFromQueue = Math.Min(fewestFromQueue, transport.FromQueue - fromQueue);
        });

        Assert.Equal(0, allocated);
        Assert.True(fewestFromQueue > 9_000, $"{fewestFromQueue} left from the queue in a measured run");
        pacer.Clear();
        Assert.Equal(0, pool.Outstanding);
    }
}
