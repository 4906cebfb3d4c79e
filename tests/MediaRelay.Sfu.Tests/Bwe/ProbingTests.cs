using MediaRelay.Rtp.Rtcp;
using MediaRelay.Sfu.Bwe;
using MediaRelay.Testing;
using Xunit.Abstractions;

namespace MediaRelay.Sfu.Tests.Bwe;

/// <summary>App-limited simulcast sender (layers 150k / 500k / 1.2M) with padding and probe clusters.</summary>
public class ProbingTests(ITestOutputHelper output)
{
    private const long Second = 1_000_000;
    private static readonly long[] Layers = [150_000, 500_000, 1_200_000];

    private static SendSideBandwidthEstimator NewEstimator(long initial = 300_000) =>
        new(new BandwidthEstimatorOptions { InitialBitsPerSecond = initial, MinBitsPerSecond = 50_000, MaxBitsPerSecond = 10_000_000 });

    [Theory]
    [InlineData(1_000_000, 1)]
    [InlineData(200_000, 2)]
    [InlineData(100_000, 3)]
    public void CappedSubscriberSwitchesDownThenClimbsBackToTheTopLayer(long queueLimitMicros, int seed)
    {
        var sim = new LinkSimulation(NewEstimator(), seed) { Layers = Layers, CapacityBitsPerSecond = 5_000_000, QueueLimitMicros = queueLimitMicros };
        long top = -1;
        sim.Run(15 * Second, (now, _) => top = top < 0 && sim.MediaBitsPerSecond == Layers[^1] ? now : top);
        output.WriteLine($"start: top layer at {top / 1e6} s, estimate {sim.Estimator.EstimateBitsPerSecond}");
        Assert.InRange(top, 1, 15 * Second);

        sim.CapacityBitsPerSecond = 500_000;
        long capStart = sim.Now;
        long switchedDown = -1;
        var trace = new List<string>();
        long sent = 0;
        long lost = 0;
        long cappedSent = 0;
        long cappedLost = 0;
        int probesBefore = sim.Estimator.ProbeClusters;
        int lossySeconds = 0;
        int consecutiveLossy = 0;
        int maxConsecutiveLossy = 0;
        var estimates = new List<long>();
        for (long t = capStart + 100_000; t <= capStart + (30 * Second); t += 100_000)
        {
            long sentBefore = sim.PacketsSent;
            long lostBefore = sim.PacketsLost;
            sim.Run(t);
            if (switchedDown < 0 && sim.MediaBitsPerSecond < Layers[^1])
            {
                switchedDown = t - capStart;
            }
            if (t - capStart >= 3 * Second)
            {
                estimates.Add(sim.Estimator.EstimateBitsPerSecond);
                sent += sim.PacketsSent - sentBefore;
                lost += sim.PacketsLost - lostBefore;
                cappedSent += sim.PacketsSent - sentBefore;
                cappedLost += sim.PacketsLost - lostBefore;
            }
            if ((t - capStart) % Second == 0)
            {
                trace.Add($"{sim.Estimator.EstimateBitsPerSecond / 1000}k/{sim.MediaBitsPerSecond / 1000}+{sim.PaddingBitsPerSecond / 1000}");
                if (t - capStart > 3 * Second)
                {
                    bool lossy = lost * 20 > sent;
                    lossySeconds += lossy ? 1 : 0;
                    consecutiveLossy = lossy ? consecutiveLossy + 1 : 0;
                    maxConsecutiveLossy = Math.Max(maxConsecutiveLossy, consecutiveLossy);
                }
                sent = 0;
                lost = 0;
            }
        }
        output.WriteLine($"capped at 500k: lower layer after {switchedDown / 1e6} s, estimate {estimates.Min()}..{estimates.Max()} after 3 s, seconds with loss > 5%: {lossySeconds}, loss {100.0 * cappedLost / cappedSent:F1} %, probes {sim.Estimator.ProbeClusters - probesBefore}");
        output.WriteLine(string.Join(" ", trace));
        Assert.InRange(switchedDown, 0, 5 * Second);
        Assert.InRange(estimates.Min(), 350_000, 600_000);
        Assert.InRange(estimates.Max(), 350_000, 600_000);
        Assert.True(maxConsecutiveLossy < 2, $"{maxConsecutiveLossy} consecutive seconds with loss > 5%");
        Assert.True(cappedLost * 20 < cappedSent, $"{cappedLost} of {cappedSent} lost");

        sim.CapacityBitsPerSecond = 5_000_000;
        long liftStart = sim.Now;
        long back = -1;
        trace.Clear();
        for (long t = liftStart + 100_000; t <= liftStart + (20 * Second); t += 100_000)
        {
            sim.Run(t);
            if (back < 0 && sim.MediaBitsPerSecond == Layers[^1])
            {
                back = t - liftStart;
            }
            if ((t - liftStart) % Second == 0)
            {
                trace.Add($"{sim.Estimator.EstimateBitsPerSecond / 1000}k/{sim.MediaBitsPerSecond / 1000}+{sim.PaddingBitsPerSecond / 1000}");
            }
        }
        output.WriteLine($"lifted to 5M: top layer after {back / 1e6} s, end estimate {sim.Estimator.EstimateBitsPerSecond}");
        output.WriteLine(string.Join(" ", trace));
        Assert.InRange(back, 0, 12 * Second);
        Assert.Equal(Layers[^1], sim.MediaBitsPerSecond);
    }

    [Fact]
    public void SteadyLinkStopsPaddingOnceTheTopLayerFits()
    {
        var sim = new LinkSimulation(NewEstimator()) { Layers = Layers, CapacityBitsPerSecond = 2_000_000 };
        sim.Run(10 * Second);
        Assert.Equal(Layers[^1], sim.MediaBitsPerSecond);
        long padding = sim.PaddingPacketsSent;
        int probes = sim.Estimator.ProbeClusters;
        sim.Run(70 * Second, (_, estimate) => Assert.Equal(Layers[^1], sim.MediaBitsPerSecond));
        output.WriteLine($"padding packets in the first 10 s {padding}, in the next 60 s {sim.PaddingPacketsSent - padding}; probes {probes} then {sim.Estimator.ProbeClusters - probes}; estimate {sim.Estimator.EstimateBitsPerSecond}");
        Assert.Equal(padding, sim.PaddingPacketsSent);
        Assert.Equal(probes, sim.Estimator.ProbeClusters);
        Assert.Equal(0, sim.PaddingBitsPerSecond);
        Assert.Equal(0, sim.PacketsLost);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    public void ThreePercentRandomLossKeepsTheTopLayer(int seed)
    {
        var sim = new LinkSimulation(NewEstimator(), seed) { Layers = Layers, CapacityBitsPerSecond = 5_000_000, LossRate = 0.03 };
        long top = -1;
        long lowest = long.MaxValue;
        sim.Run(60 * Second, (now, estimate) =>
        {
            top = top < 0 && sim.MediaBitsPerSecond == Layers[^1] ? now : top;
            lowest = top > 0 && now > top ? Math.Min(lowest, estimate) : lowest;
        });
        output.WriteLine($"top layer at {top / 1e6} s, lowest estimate after {lowest}, end {sim.Estimator.EstimateBitsPerSecond}, loss fraction {sim.Estimator.LossFraction:F3}");
        Assert.InRange(top, 1, 10 * Second);
        Assert.True(lowest >= Layers[^1], $"estimate fell to {lowest}");
    }

    /// <summary>Sends one probe's worth of packets at <paramref name="sendRate"/>, the link delivering at <paramref name="linkRate"/>.</summary>
    private static List<RtcpTransportFeedback.PacketResult> SendCluster(
        SendSideBandwidthEstimator estimator, ref ushort seq, long start, long sendRate, long linkRate, long media, long desired)
    {
        var results = new List<RtcpTransportFeedback.PacketResult>();
        long linkFree = 0;
        long interval = 1200 * 8 * Second / sendRate;
        for (long t = start; t < start + (250 * 1000); t += interval)
        {
            estimator.PaddingBitsPerSecond(media, desired, t);
            estimator.OnPacketSent(seq, 1200, t);
            linkFree = Math.Max(t, linkFree) + (1200 * 8 * Second / linkRate);
            results.Add(new RtcpTransportFeedback.PacketResult(seq, true, 7_000_000 + linkFree));
            seq++;
        }
        return results;
    }

    [Fact]
    public void SuccessfulProbeLiftsTheEstimateAndProbesAgainAtTwice()
    {
        var estimator = NewEstimator();
        ushort seq = 0;
        Assert.Equal(600_000 - 100_000, estimator.PaddingBitsPerSecond(100_000, 3_000_000, Second)); // 2 × 300k
        Assert.Equal(1, estimator.ProbeClusters);
        var results = SendCluster(estimator, ref seq, Second, 600_000, 5_000_000, 100_000, 3_000_000);
        // The window closed (≥ 150 ms and 10 packets): padding now fills media up to the estimate.
        Assert.Equal(300_000 - 100_000, estimator.PaddingBitsPerSecond(100_000, 3_000_000, Second + 260_000));
        estimator.OnFeedback(results.ToArray(), Second + 300_000);
        Assert.InRange(estimator.LastProbeBitsPerSecond, 570_000, 610_000);
        Assert.Equal(estimator.LastProbeBitsPerSecond, estimator.EstimateBitsPerSecond);
        long estimate = estimator.EstimateBitsPerSecond;
        Assert.Equal((2 * estimate) - 100_000, estimator.PaddingBitsPerSecond(100_000, 3_000_000, Second + 310_000));
        Assert.Equal(2, estimator.ProbeClusters);
    }

    [Fact]
    public void SaturatedProbeKeepsTheEstimateAndRetriesLaterAtOneAndAHalf()
    {
        var estimator = NewEstimator();
        ushort seq = 0;
        Assert.Equal(500_000, estimator.PaddingBitsPerSecond(100_000, 3_000_000, Second));
        var results = SendCluster(estimator, ref seq, Second, 600_000, 320_000, 100_000, 3_000_000);
        estimator.OnFeedback(results.ToArray(), Second + 300_000);
        Assert.InRange(estimator.LastProbeBitsPerSecond, 300_000, 310_000); // 0.95 × the 320k it drained at
        long estimate = estimator.EstimateBitsPerSecond;
        Assert.Equal(estimator.LastProbeBitsPerSecond, estimate);
        Assert.Equal(estimate - 100_000, estimator.PaddingBitsPerSecond(100_000, 3_000_000, Second + 400_000)); // fill only
        Assert.Equal(1, estimator.ProbeClusters);
        Assert.Equal((long)(1.5 * estimate) - 100_000, estimator.PaddingBitsPerSecond(100_000, 3_000_000, Second + 3_400_000));
        Assert.Equal(2, estimator.ProbeClusters);
    }

    [Fact]
    public void NoPaddingWhenTheEstimateSufficesMediaFillsItOrAfterADecrease()
    {
        var estimator = NewEstimator(1_000_000);
        Assert.Equal(0, estimator.PaddingBitsPerSecond(500_000, 800_000, Second));     // 1M ≥ 800k × 1.15
        Assert.Equal(0, estimator.PaddingBitsPerSecond(1_000_000, 5_000_000, Second)); // media meets the estimate
        Assert.Equal(0, estimator.ProbeClusters);
        var exact = new SendSideBandwidthEstimator(new BandwidthEstimatorOptions { InitialBitsPerSecond = 1_000_000, PaddingHeadroom = 1.0 });
        Assert.Equal(0, exact.PaddingBitsPerSecond(500_000, 1_000_000, Second));
        Assert.NotEqual(0, exact.PaddingBitsPerSecond(500_000, 1_000_001, Second));

        // 30 % loss cuts the loss-based estimate: no padding for 1.5 s, no probe for 3 s.
        var lossy = NewEstimator(1_000_000);
        var results = new RtcpTransportFeedback.PacketResult[100];
        for (int i = 0; i < results.Length; i++)
        {
            lossy.OnPacketSent((ushort)i, 1200, Second + (i * 10_000L));
            results[i] = new RtcpTransportFeedback.PacketResult((ushort)i, i % 10 >= 3, Second + (i * 10_000L) + 20_000);
        }
        lossy.OnFeedback(results.AsSpan(0, 50), Second + 600_000);
        lossy.OnFeedback(results.AsSpan(50), 2 * Second + 100_000); // a loss window spans ≥ 500 ms
        Assert.True(lossy.EstimateBitsPerSecond < 1_000_000);
        long cut = lossy.EstimateBitsPerSecond;
        Assert.Equal(0, lossy.PaddingBitsPerSecond(100_000, 5_000_000, 2 * Second + 200_000));
        Assert.Equal(0, lossy.PaddingBitsPerSecond(100_000, 5_000_000, 3 * Second + 500_000));
        Assert.Equal(cut - 100_000, lossy.PaddingBitsPerSecond(100_000, 5_000_000, 3 * Second + 700_000)); // fill
        Assert.Equal(0, lossy.ProbeClusters);
        Assert.Equal((2 * cut) - 100_000, lossy.PaddingBitsPerSecond(100_000, 5_000_000, 5 * Second + 200_000));
        Assert.Equal(1, lossy.ProbeClusters);
    }

    [Fact]
    public void AppLimitedSendingWithProbesAllocatesNothing()
    {
        var estimator = NewEstimator();
        var recorder = new TransportFeedbackRecorder();
        byte[] wire = new byte[TransportFeedbackRecorder.MaxFeedbackLength];
        var decoded = new RtcpTransportFeedback.PacketResult[TransportFeedbackRecorder.WindowSize];
        long now = 0;
        long linkFree = 0;
        double credit = 0;
        ushort seq = 0;
        void Step()
        {
            now += 1_000;
            long padding = estimator.PaddingBitsPerSecond(150_000, 5_000_000, now);
            for (credit += (150_000 + padding) / 1000.0; credit >= 9_600; credit -= 9_600)
            {
                estimator.OnPacketSent(seq, 1200, now);
                linkFree = Math.Max(now, linkFree) + 9_600; // 1 Mbps bottleneck
                recorder.OnPacket(seq++, linkFree + 20_000);
            }
            if (now % 100_000 == 0)
            {
                int written = recorder.WriteFeedback(wire, 1, 2);
                if (written > 0 && RtcpTransportFeedback.TryParse(wire.AsSpan(0, written), out var view)
                    && view.TryRead(decoded, out int count))
                {
                    estimator.OnFeedback(decoded.AsSpan(0, count), now + 40_000);
                }
            }
        }
        for (int i = 0; i < 5_000; i++)
        {
            Step();
        }
        int probes = estimator.ProbeClusters;
        long allocated = AllocationMeter.Measure(() =>
        {
            for (int i = 0; i < 20_000; i++)
            {
                Step();
            }
        });
        output.WriteLine($"probes {probes} then {estimator.ProbeClusters - probes}, estimate {estimator.EstimateBitsPerSecond}");
        Assert.Equal(0, allocated);
        Assert.True(estimator.ProbeClusters > probes);
    }

    [Fact]
    public void GarbageFeedbackAndInputsNeverThrow()
    {
        var rng = new Random(11);
        var estimator = NewEstimator();
        var results = new RtcpTransportFeedback.PacketResult[64];
        long[] odd = [long.MinValue, -1, 0, 1, long.MaxValue];
        long now = 0;
        for (int round = 0; round < 2_000; round++)
        {
            now += rng.Next(-5_000, 50_000); // the clock may even step back
            for (int i = 0; i < 20; i++)
            {
                estimator.OnPacketSent((ushort)rng.Next(65_536), rng.Next(-10, 1_500), now + rng.Next(-100_000, 100_000));
            }
            int count = rng.Next(results.Length + 1);
            for (int i = 0; i < count; i++)
            {
                long arrival = rng.Next(4) == 0 ? odd[rng.Next(odd.Length)] / 1_000 : now + rng.Next(-1_000_000, 1_000_000);
                results[i] = new RtcpTransportFeedback.PacketResult((ushort)rng.Next(65_536), rng.Next(3) != 0, arrival);
            }
            estimator.OnFeedback(results.AsSpan(0, count), now);
            long padding = estimator.PaddingBitsPerSecond(odd[rng.Next(odd.Length)], odd[rng.Next(odd.Length)], now);
            padding += estimator.PaddingBitsPerSecond(rng.Next(2_000_000), rng.Next(5_000_000), now);
            Assert.True(padding >= 0);
            Assert.InRange(estimator.EstimateBitsPerSecond, 50_000, 10_000_000);
        }
    }
}
