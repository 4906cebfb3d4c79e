using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MediaRelay.Interop.Tests.Server;
using Xunit.Abstractions;

namespace MediaRelay.Interop.Tests;

/// <summary>
/// The user-space impairment (no browser): two loopback sockets, the path in between. Timing bounds are generous
/// because the machine is shared; statistical bounds are several standard deviations wide.
/// </summary>
public sealed class ImpairedPathTests(ITestOutputHelper output)
{
    [Fact]
    public void OneWayDelayMatchesConfigured()
    {
        using var pair = new LoopbackPair();
        using var path = new ImpairedPath(seed: 7) { Delay = TimeSpan.FromMilliseconds(40) };
        SendPaced(pair, path, count: 100, packetsPerSecond: 200, size: 100);
        var received = pair.WaitFor(100);

        double[] delays = received.Select(r => r.OneWayMs).Order().ToArray();
        double median = delays[delays.Length / 2];
        output.WriteLine($"one-way delay: min {delays[0]:F2} ms, median {median:F2} ms, max {delays[^1]:F2} ms");
        Assert.Equal(100, received.Count);
        Assert.True(delays[0] >= 39, $"early: {delays[0]:F2} ms");
        Assert.InRange(median, 39, 60);
        Assert.Equal(100, path.Forwarded);
    }

    [Fact]
    public void JitterKeepsOrderUnlessReorderingIsAllowed()
    {
        foreach (bool reorder in new[] { false, true })
        {
            using var pair = new LoopbackPair();
            using var path = new ImpairedPath(seed: 11)
            {
                Delay = TimeSpan.FromMilliseconds(30),
                Jitter = TimeSpan.FromMilliseconds(20),
                AllowReordering = reorder,
            };
            SendPaced(pair, path, count: 300, packetsPerSecond: 500, size: 60);
            var received = pair.WaitFor(300);
            Assert.Equal(300, received.Count);

            int inversions = 0;
            for (int i = 1; i < received.Count; i++)
            {
                inversions += received[i].Sequence < received[i - 1].Sequence ? 1 : 0;
            }
            double min = received.Min(r => r.OneWayMs), max = received.Max(r => r.OneWayMs);
            output.WriteLine($"reordering {reorder}: {inversions} inversions, one-way {min:F1}..{max:F1} ms");
            Assert.True(min >= 9, $"below Delay - Jitter: {min:F2} ms");
            Assert.True(max - min > 10, "jitter should spread the delays");
            if (reorder)
            {
                Assert.True(inversions > 0);
            }
            else
            {
                Assert.Equal(0, inversions);
            }
        }
    }

    [Fact]
    public void RandomLossRateIsWithinTolerance()
    {
        const int count = 5000;
        using var pair = new LoopbackPair();
        using var path = new ImpairedPath(seed: 42) { LossProbability = 0.1 };
        SendPaced(pair, path, count, packetsPerSecond: 10_000, size: 40);
        WaitUntil(() => path.Forwarded + path.DroppedByLoss == count && path.InFlight == 0);
        var received = pair.WaitFor((int)path.Forwarded);

        // Binomial(5000, 0.1): mean 500, sigma 21.2; accept +-5 sigma.
        output.WriteLine($"dropped {path.DroppedByLoss} of {count}, forwarded {path.Forwarded}, received {received.Count}");
        Assert.InRange(path.DroppedByLoss, 395, 605);
        Assert.Equal(0, path.DroppedByQueue);
        Assert.True(received.Count >= path.Forwarded * 0.99, "the loopback socket itself lost datagrams");

        // Same seed, same decisions.
        using var pair2 = new LoopbackPair();
        using var again = new ImpairedPath(seed: 42) { LossProbability = 0.1 };
        SendPaced(pair2, again, count, packetsPerSecond: 10_000, size: 40);
        WaitUntil(() => again.Forwarded + again.DroppedByLoss == count);
        Assert.Equal(path.DroppedByLoss, again.DroppedByLoss);
    }

    [Fact]
    public void GilbertElliottLossComesInBursts()
    {
        const int count = 5000;
        (double burstRate, double burstMeanRun, int burstMaxRun) = MeasureRuns(p => p.SetBurstLoss(0.02, 0.25), count);
        // Independent loss at the same average rate, for contrast: runs of about 1/(1-0.074) = 1.08.
        (double iidRate, double iidMeanRun, _) = MeasureRuns(p => p.LossProbability = 0.02 / 0.27, count);
        output.WriteLine($"burst: loss {burstRate:P1}, mean run {burstMeanRun:F2}, max run {burstMaxRun}; " +
                         $"independent: loss {iidRate:P1}, mean run {iidMeanRun:F2}");

        // p/(p+r) = 7.4% loss, mean run 1/r = 4.
        Assert.InRange(burstRate, 0.04, 0.12);
        Assert.InRange(burstMeanRun, 2.5, 6.5);
        Assert.True(burstMaxRun >= 8);
        Assert.InRange(iidRate, 0.04, 0.12);
        Assert.True(iidMeanRun < 1.5);
    }

    private static (double LossRate, double MeanRun, int MaxRun) MeasureRuns(Action<ImpairedPath> configure, int count)
    {
        using var pair = new LoopbackPair();
        using var path = new ImpairedPath(seed: 5);
        configure(path);
        SendPaced(pair, path, count, packetsPerSecond: 10_000, size: 40);
        WaitUntil(() => path.Forwarded + path.DroppedByLoss == count && path.InFlight == 0);
        var received = pair.WaitFor((int)path.Forwarded);
        var arrived = new bool[count];
        foreach (var r in received)
        {
            arrived[r.Sequence] = true;
        }
        int runs = 0, lost = 0, run = 0, maxRun = 0;
        for (int i = 0; i <= count; i++)
        {
            if (i < count && !arrived[i])
            {
                run++;
                lost++;
                continue;
            }
            if (run > 0)
            {
                runs++;
                maxRun = Math.Max(maxRun, run);
            }
            run = 0;
        }
        return ((double)lost / count, runs == 0 ? 0 : (double)lost / runs, maxRun);
    }

    [Fact]
    public void RateCapHoldsThroughputAndCanBeLiftedMidCall()
    {
        const long cap = 400_000;
        using var pair = new LoopbackPair();
        using var path = new ImpairedPath(seed: 3) { RateBitsPerSecond = cap, BucketBytes = 2000, QueueLimit = 20 };

        // Offer 800 kbit/s (1000-byte datagrams at 100/s) for 2.5 s; measure arrivals over the last 2 s.
        SendPaced(pair, path, count: 250, packetsPerSecond: 100, size: 1000);
        var capped = pair.Snapshot();
        double bits = capped.Where(r => r.ArrivalSeconds >= 0.5 && r.ArrivalSeconds < 2.5).Sum(r => r.Length) * 8.0;
        double rate = bits / 2.0;
        output.WriteLine($"capped: {rate / 1000:F0} kbit/s of a {cap / 1000} kbit/s cap; queue drops {path.DroppedByQueue}");
        Assert.InRange(rate, cap * 0.8, cap * 1.2);
        Assert.True(path.DroppedByQueue > 50, "an offered load of twice the cap should overflow the queue");

        // Lift the cap: the queue drains at once and the full offered load goes through.
        long droppedBefore = path.DroppedByQueue;
        path.RateBitsPerSecond = 0;
        WaitUntil(() => path.InFlight == 0, TimeSpan.FromSeconds(1));
        Thread.Sleep(100);
        pair.Clear();
        var start = Stopwatch.GetTimestamp();
        SendPaced(pair, path, count: 100, packetsPerSecond: 100, size: 1000, firstSequence: 250);
        var lifted = pair.WaitFor(100).Where(r => r.Sequence >= 250).ToList();
        double liftedRate = lifted.Sum(r => r.Length) * 8.0 / Stopwatch.GetElapsedTime(start).TotalSeconds;
        output.WriteLine($"lifted: {liftedRate / 1000:F0} kbit/s, {lifted.Count} of 100 arrived");
        Assert.Equal(100, lifted.Count);
        Assert.Equal(droppedBefore, path.DroppedByQueue);
        Assert.True(liftedRate > cap * 1.5);
    }

    [Fact]
    public void RelayAppliesPathsPerDirection()
    {
        // A fake server and client around a UdpRelay: upstream delayed, downstream lossy.
        using var server = new LoopbackPair();
        using var relay = new UdpRelay();
        using var up = new ImpairedPath(seed: 1) { Delay = TimeSpan.FromMilliseconds(30) };
        using var down = new ImpairedPath(seed: 2) { LossProbability = 1 };
        relay.Upstream = up;
        relay.Downstream = down;
        relay.Start(server.ReceiverPort);

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        client.ReceiveTimeout = 300;
        var relayEndPoint = new IPEndPoint(IPAddress.Loopback, relay.Port);
        byte[] datagram = LoopbackPair.Stamp(new byte[50], 0);
        client.SendTo(datagram, relayEndPoint);
        var received = server.WaitFor(1);
        Assert.Single(received);
        Assert.True(received[0].OneWayMs >= 29, $"upstream delay not applied: {received[0].OneWayMs:F2} ms");

        // The server answers to the leg's upstream address; the downstream path drops it.
        server.Receiver.SendTo(datagram, relay.Legs[0].Upstream.LocalEndPoint!);
        WaitUntil(() => down.DroppedByLoss == 1);
        Assert.Throws<SocketException>(() => client.Receive(new byte[100]));

        // A per-leg path overrides the relay's.
        using var clear = new ImpairedPath(seed: 3);
        relay.Legs[0].DownstreamPath = clear;
        server.Receiver.SendTo(datagram, relay.Legs[0].Upstream.LocalEndPoint!);
        Assert.Equal(50, client.Receive(new byte[100]));
        WaitUntil(() => clear.Forwarded == 1);
    }

    private static void SendPaced(LoopbackPair pair, ImpairedPath path, int count, int packetsPerSecond, int size,
        int firstSequence = 0)
    {
        byte[] datagram = new byte[size];
        long start = Stopwatch.GetTimestamp();
        int sent = 0;
        while (sent < count)
        {
            int due = Math.Min(count, 1 + (int)(Stopwatch.GetElapsedTime(start).TotalSeconds * packetsPerSecond));
            for (; sent < due; sent++)
            {
                path.Send(pair.Sender, LoopbackPair.Stamp(datagram, firstSequence + sent), pair.ReceiverEndPoint);
            }
            Thread.Sleep(1);
        }
    }

    private static void WaitUntil(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)((timeout ?? TimeSpan.FromSeconds(10)).TotalSeconds * Stopwatch.Frequency);
        while (!condition())
        {
            Assert.True(Stopwatch.GetTimestamp() < deadline, "timed out");
            Thread.Sleep(5);
        }
    }

    /// <summary>A sender socket and a receiver socket with a thread recording arrivals.</summary>
    private sealed class LoopbackPair : IDisposable
    {
        private readonly List<Arrival> _arrivals = new();
        private readonly Thread _thread;
        private readonly long _epoch = Stopwatch.GetTimestamp();
        private volatile bool _stop;

        public LoopbackPair()
        {
            Sender.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            Receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            Receiver.ReceiveBufferSize = 4 << 20;
            Receiver.ReceiveTimeout = 100;
            ReceiverEndPoint = (IPEndPoint)Receiver.LocalEndPoint!;
            _thread = new Thread(ReceiveLoop) { IsBackground = true };
            _thread.Start();
        }

        public Socket Sender { get; } = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        public Socket Receiver { get; } = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        public IPEndPoint ReceiverEndPoint { get; }
        public int ReceiverPort => ReceiverEndPoint.Port;

        /// <summary>Writes a sequence number and the send time into the datagram's first 12 bytes.</summary>
        public static byte[] Stamp(byte[] datagram, int sequence)
        {
            BinaryPrimitives.WriteInt32BigEndian(datagram, sequence);
            BinaryPrimitives.WriteInt64BigEndian(datagram.AsSpan(4), Stopwatch.GetTimestamp());
            return datagram;
        }

        public List<Arrival> Snapshot()
        {
            lock (_arrivals) return [.. _arrivals];
        }

        public void Clear()
        {
            lock (_arrivals) _arrivals.Clear();
        }

        /// <summary>Waits (up to 10 s) for this many arrivals, then a little longer for stragglers.</summary>
        public List<Arrival> WaitFor(int count)
        {
            WaitUntil(() => { lock (_arrivals) return _arrivals.Count >= count; });
            Thread.Sleep(50);
            return Snapshot();
        }

        private void ReceiveLoop()
        {
            byte[] buffer = new byte[2048];
            while (!_stop)
            {
                int n;
                try
                {
                    n = Receiver.Receive(buffer);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    continue;
                }
                long now = Stopwatch.GetTimestamp();
                if (n < 12)
                {
                    continue;
                }
                long sent = BinaryPrimitives.ReadInt64BigEndian(buffer.AsSpan(4));
                var arrival = new Arrival(
                    BinaryPrimitives.ReadInt32BigEndian(buffer),
                    n,
                    Stopwatch.GetElapsedTime(sent, now).TotalMilliseconds,
                    Stopwatch.GetElapsedTime(_epoch, now).TotalSeconds);
                lock (_arrivals) _arrivals.Add(arrival);
            }
        }

        public void Dispose()
        {
            _stop = true;
            _thread.Join();
            Sender.Dispose();
            Receiver.Dispose();
        }
    }

    private readonly record struct Arrival(int Sequence, int Length, double OneWayMs, double ArrivalSeconds);
}
