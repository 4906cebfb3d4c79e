using MediaRelay.Core;
using MediaRelay.Sfu.Pacing;
using static MediaRelay.Sfu.Tests.Pacing.PacingClock;

namespace MediaRelay.Sfu.Tests.Pacing;

/// <summary>Rate, ordering and latency behaviour of the pacer, with explicit Stopwatch-tick times.</summary>
public class PacedSenderTests
{
    private const long OneMbps = 1_000_000;

    private static (PacedSender Pacer, RecordingPacedTransport Transport, PacketPool Pool) Create(
        long rate, int maxQueued = 2048, int poolSize = 4096)
    {
        var transport = new RecordingPacedTransport();
        var pool = new PacketPool(poolSize, preallocate: 0);
        var pacer = new PacedSender(transport, pool, maxQueued);
        pacer.SetRate(rate);
        return (pacer, transport, pool);
    }

    private static bool Send(PacedSender pacer, RecordingPacedTransport transport, byte[] buffer, int length,
        PacketPriority priority, long now)
    {
        transport.CallerBuffer = buffer;
        bool result = pacer.Send(buffer, length, priority, now);
        transport.CallerBuffer = null;
        return result;
    }

    /// <summary>Ticks every 5 ms from <paramref name="fromMs"/> until the queue is empty; returns the last tick time.</summary>
    private static double TickUntilEmpty(PacedSender pacer, double fromMs, double limitMs = 5_000)
    {
        double t = fromMs;
        while (pacer.QueuedPackets > 0 && t < limitMs)
        {
            t += 5;
            pacer.OnTick(At(t));
        }
        return t;
    }

    [Fact]
    public void KeyFrameBurstAtOneMegabitLeavesEvenlyOverItsDuration()
    {
        var (pacer, transport, pool) = Create(OneMbps);
        for (int i = 0; i < 30; i++)
        {
            Assert.True(Send(pacer, transport, Packet(1200, i), 1200, PacketPriority.Video, At(0)));
        }
        Assert.Equal(2, transport.Sent.Count); // one MTU of initial budget
        Assert.Equal(28, pacer.QueuedPackets);
        Assert.Equal(28 * 1200, pacer.QueuedBytes);

        TickUntilEmpty(pacer, 0);

        Assert.Equal(30, transport.Sent.Count);
        double last = ToMilliseconds(transport.Sent[^1].Time);
        Assert.InRange(last, 255, 295); // 30 × 1200 B × 8 = 288 ms at 1 Mbps, the last packet starts ~1 packet early
        for (int i = 0; i < 30; i++)
        {
            Assert.Equal(i, IdOf(transport.Sent[i].Bytes));
        }
        // Evenly: never more than one MTU of burst plus one packet at a tick, and any 50 ms holds ~50 ms worth.
        foreach (var group in transport.Sent.GroupBy(s => s.Time))
        {
            Assert.True(group.Sum(s => s.Bytes.Length) <= 1500 + 1200, $"burst at {ToMilliseconds(group.Key)} ms");
        }
        for (double from = 0; from <= 230; from += 5)
        {
            int bytes = transport.Sent.Where(s => s.Time > At(from) && s.Time <= At(from + 50)).Sum(s => s.Bytes.Length);
            Assert.InRange(bytes, 6250 - 2400, 6250 + 2400);
        }
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void AudioBypassesTheQueueAndConsumesBudget()
    {
        var (pacer, transport, _) = Create(OneMbps);
        for (int i = 0; i < 10; i++)
        {
            Send(pacer, transport, Packet(1200, i), 1200, PacketPriority.Video, At(0));
        }
        int queued = pacer.QueuedPackets;
        double budget = pacer.Budget;
        Assert.True(budget <= 0);

        byte[] audio = Packet(120, 500);
        Assert.True(Send(pacer, transport, audio, 120, PacketPriority.Audio, At(0)));
        Assert.Equal(budget - 120, pacer.Budget, 6); // audio consumes budget

        for (int i = 0; i < 20; i++) // and is never delayed, however deep the debt
        {
            Assert.True(Send(pacer, transport, audio, 120, PacketPriority.Audio, At(1)));
        }
        var last = transport.Sent[^1];
        Assert.Equal(PacketPriority.Audio, last.Priority);
        Assert.Equal(At(1), last.Time);
        Assert.True(last.FromCallerBuffer);
        Assert.Equal(queued, pacer.QueuedPackets);
        Assert.DoesNotContain(transport.Sent, s => s.Priority == PacketPriority.Audio && !s.FromCallerBuffer);
    }

    [Fact]
    public void RetransmissionsOvertakeQueuedVideoInArrivalOrder()
    {
        var (pacer, transport, _) = Create(OneMbps);
        for (int i = 0; i < 10; i++)
        {
            Send(pacer, transport, Packet(1200, i), 1200, PacketPriority.Video, At(0));
        }
        int sentBefore = transport.Sent.Count;
        Send(pacer, transport, Packet(1000, 100), 1000, PacketPriority.Padding, At(1));
        for (int i = 0; i < 3; i++)
        {
            Send(pacer, transport, Packet(1200, 200 + i), 1200, PacketPriority.Retransmission, At(1));
        }
        TickUntilEmpty(pacer, 1);

        int[] order = transport.Sent.Skip(sentBefore).Select(s => IdOf(s.Bytes)).ToArray();
        Assert.Equal(new[] { 200, 201, 202, 2, 3, 4, 5, 6, 7, 8, 9 }, order);
        Assert.Equal(1, pacer.ExpiredPadding); // the padding waited behind ~110 ms of video
        Assert.Equal(PacketPriority.Retransmission, transport.Sent[sentBefore].Priority);
    }

    [Fact]
    public void PaddingLeavesLastAndOnlyWhileFresh()
    {
        var (pacer, transport, pool) = Create(10 * OneMbps); // 6250 B per 5 ms
        Send(pacer, transport, Packet(1200, 0), 1200, PacketPriority.Video, At(0));
        Send(pacer, transport, Packet(1200, 1), 1200, PacketPriority.Video, At(0)); // budget spent
        Send(pacer, transport, Packet(200, 300), 200, PacketPriority.Padding, At(0));
        Send(pacer, transport, Packet(1200, 2), 1200, PacketPriority.Video, At(0));
        pacer.OnTick(At(5));
        Assert.Equal(new[] { 0, 1, 2, 300 }, transport.Sent.Select(s => IdOf(s.Bytes)));
        Assert.Equal(PacketPriority.Padding, transport.Sent[^1].Priority);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void RateZeroIsPassThroughAndFlushesTheQueue()
    {
        var (pacer, transport, pool) = Create(OneMbps);
        for (int i = 0; i < 20; i++)
        {
            Send(pacer, transport, Packet(1200, i), 1200, PacketPriority.Video, At(0));
        }
        Assert.True(pacer.QueuedPackets > 0);

        pacer.SetRate(0);
        pacer.OnTick(At(1));
        Assert.Equal(0, pacer.QueuedPackets);
        Assert.Equal(20, transport.Sent.Count);

        for (int i = 0; i < 200; i++)
        {
            Assert.True(Send(pacer, transport, Packet(1200, 1000 + i), 1200, PacketPriority.Video, At(2)));
        }
        Assert.Equal(220, transport.Sent.Count);
        Assert.All(transport.Sent.Skip(20), s => Assert.True(s.FromCallerBuffer));
        Assert.Equal(0, pacer.QueuedPackets);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void PathologicalBacklogDrainsWithinHalfASecond()
    {
        var (pacer, transport, pool) = Create(OneMbps);
        for (int i = 0; i < 1000; i++) // 9.6 s worth at the pacing rate
        {
            Send(pacer, transport, Packet(1200, i), 1200, PacketPriority.Video, At(0));
        }
        Assert.Equal(998, pacer.QueuedPackets);

        for (double t = 5; t <= 250; t += 5)
        {
            pacer.OnTick(At(t));
        }
        Assert.InRange(pacer.QueuedPackets, 400, 600); // drained steadily, not dumped at once

        double emptyAt = TickUntilEmpty(pacer, 250);
        Assert.InRange(emptyAt, 480, 510);
        Assert.Equal(1000, transport.Sent.Count);
        foreach (var group in transport.Sent.Skip(2).GroupBy(s => s.Time))
        {
            Assert.True(group.Count() <= 20, $"{group.Count()} packets at {ToMilliseconds(group.Key)} ms");
        }
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void SustainedOverloadKeepsQueueDelayBounded()
    {
        var (pacer, transport, _) = Create(OneMbps);
        TimeSpan worst = TimeSpan.Zero;
        int id = 0;
        for (double t = 0; t < 3_000; t += 5) // 2 × 1250 B every 10 ms: 2 Mbps of video into a 1 Mbps pacer
        {
            if ((int)t % 10 == 0)
            {
                Send(pacer, transport, Packet(1250, id++), 1250, PacketPriority.Video, At(t));
                Send(pacer, transport, Packet(1250, id++), 1250, PacketPriority.Video, At(t));
            }
            pacer.OnTick(At(t + 4));
            TimeSpan delay = pacer.QueueDelay(At(t + 4));
            worst = delay > worst ? delay : worst;
        }
        // Without the queue-time limit the delay would grow to ~1.5 s; the raised rate holds it near half the limit.
        Assert.InRange(worst.TotalMilliseconds, 100, 510);
        Assert.True(pacer.QueuedPackets < 150);
        Assert.Equal(0, pacer.Dropped);
    }

    [Fact]
    public void QueueDelayIsTheAgeOfTheOldestPacket()
    {
        var (pacer, transport, _) = Create(100_000);
        Assert.Equal(TimeSpan.Zero, pacer.QueueDelay(At(0)));
        Send(pacer, transport, Packet(1200, 0), 1200, PacketPriority.Video, At(0));
        Send(pacer, transport, Packet(1200, 1), 1200, PacketPriority.Video, At(0)); // budget spent
        Send(pacer, transport, Packet(1200, 2), 1200, PacketPriority.Video, At(10));
        Send(pacer, transport, Packet(1200, 3), 1200, PacketPriority.Video, At(20));
        Send(pacer, transport, Packet(1200, 4), 1200, PacketPriority.Retransmission, At(30));
        Assert.Equal(3, pacer.QueuedPackets);
        Assert.Equal(20, pacer.QueueDelay(At(30)).TotalMilliseconds, 3);
    }

    [Fact]
    public void TransportSeesIdenticalBytesOnBothPaths()
    {
        var (pacer, transport, pool) = Create(2 * OneMbps);
        var random = new Random(42);
        var expected = new List<byte[]>();
        for (int i = 0; i < 300; i++)
        {
            int length = random.Next(12, 1500);
            byte[] buffer = new byte[1536];
            random.NextBytes(buffer);
            expected.Add(buffer.AsSpan(0, length).ToArray());
            Send(pacer, transport, buffer, length, PacketPriority.Video, At(i * 2));
            random.NextBytes(buffer); // the caller reuses its buffer at once
            if (i % 3 == 0)
            {
                pacer.OnTick(At(i * 2 + 1));
            }
        }
        TickUntilEmpty(pacer, 600);

        Assert.Equal(expected.Count, transport.Sent.Count);
        Assert.Contains(transport.Sent, s => s.FromCallerBuffer);
        Assert.Contains(transport.Sent, s => !s.FromCallerBuffer);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], transport.Sent[i].Bytes);
        }
        Assert.Equal(0, pool.Outstanding);
    }
}
