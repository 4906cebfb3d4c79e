using MediaRelay.Rtp.Rtcp;
using MediaRelay.Sfu.Bwe;
using MediaRelay.Testing;
using Xunit.Abstractions;

namespace MediaRelay.Sfu.Tests.Bwe;

public class SendSideBandwidthEstimatorTests(ITestOutputHelper output)
{
    private const long Second = 1_000_000;

    private static SendSideBandwidthEstimator NewEstimator(long initial = 1_000_000) =>
        new(new BandwidthEstimatorOptions { InitialBitsPerSecond = initial, MinBitsPerSecond = 50_000, MaxBitsPerSecond = 10_000_000 });

    [Fact]
    public void SteadyLinkConvergesNearCapacity()
    {
        var sim = new LinkSimulation(NewEstimator(300_000));
        long reached = -1;
        var late = new List<long>();
        sim.Run(60 * Second, (now, estimate) =>
        {
            if (reached < 0 && estimate >= 1_500_000)
            {
                reached = now;
            }
            if (now >= 40 * Second)
            {
                late.Add(estimate);
            }
        });
        output.WriteLine($"reached 1.5 Mbps at {reached / 1e6} s; last 20 s: {string.Join(", ", late)}");
        Assert.InRange(reached, 1, 40 * Second);
        Assert.All(late, e => Assert.InRange(e, 1_200_000, 2_300_000));
    }

    [Fact]
    public void CapacityDropAndRecovery()
    {
        var sim = new LinkSimulation(NewEstimator());
        sim.Run(40 * Second);
        long before = sim.Estimator.EstimateBitsPerSecond;
        sim.CapacityBitsPerSecond = 500_000;
        long dropStart = sim.Now;
        long below = -1;
        sim.Run(dropStart + (15 * Second), (now, estimate) =>
        {
            if (below < 0 && estimate < 600_000)
            {
                below = now - dropStart;
            }
        });
        long during = sim.Estimator.EstimateBitsPerSecond;
        sim.CapacityBitsPerSecond = 5_000_000;
        long liftStart = sim.Now;
        long recovered = -1;
        sim.Run(liftStart + (20 * Second), (now, estimate) =>
        {
            if (recovered < 0 && estimate >= 1_700_000)
            {
                recovered = now - liftStart;
            }
        });
        output.WriteLine($"before {before}, below 600k after {below / 1e6} s, during {during}, ≥1.7M after {recovered / 1e6} s, end {sim.Estimator.EstimateBitsPerSecond}");
        Assert.InRange(below, 0, 5 * Second);
        Assert.InRange(during, 350_000, 600_000);
        Assert.InRange(recovered, 0, 10 * Second);
    }

    [Fact]
    public void CongestionIsSignalledByACutAndForgottenTwoSecondsLater()
    {
        // App-limited on a wide link: the estimate follows the media, nothing is cut, nothing reads as congestion.
        var sim = new LinkSimulation(NewEstimator(300_000)) { CapacityBitsPerSecond = 5_000_000, Layers = [150_000, 400_000, 900_000] };
        bool everCongested = false;
        sim.Run(20 * Second, (now, _) => everCongested |= sim.Estimator.IsCongested(now));
        output.WriteLine($"wide link: estimate {sim.Estimator.EstimateBitsPerSecond}, cuts {sim.Estimator.Decreases}");
        Assert.False(everCongested);
        Assert.Equal(0, sim.Estimator.Decreases);

        // The link narrows below the layer being sent: the estimate is cut, and the path reads congested.
        sim.CapacityBitsPerSecond = 500_000;
        long congestedAt = -1;
        sim.Run(sim.Now + (5 * Second), (now, _) =>
        {
            if (congestedAt < 0 && sim.Estimator.IsCongested(now))
            {
                congestedAt = now;
            }
        });
        output.WriteLine($"narrowed: congested after {(congestedAt - (20 * Second)) / 1e6} s, cuts {sim.Estimator.Decreases}");
        Assert.InRange(congestedAt, 20 * Second, 23 * Second);
        Assert.True(sim.Estimator.Decreases > 0);

        // A wide link again: once the probes have lifted the estimate, the cut is forgotten.
        sim.CapacityBitsPerSecond = 5_000_000;
        sim.Run(sim.Now + (20 * Second));
        Assert.False(sim.Estimator.IsCongested(sim.Now));
    }

    [Fact]
    public void AReceiverThatStallsAndStampsItsBacklogAtOnceIsNoCongestion()
    {
        // 60 ms stalls every 700 ms, as a browser starved of CPU: each backlog arrives as one burst (§5.2 grouping).
        var sim = new LinkSimulation(NewEstimator(300_000))
        {
            CapacityBitsPerSecond = 5_000_000, Layers = [150_000, 400_000, 900_000],
            ReceiverStallEveryMicros = 700_000, ReceiverStallMicros = 60_000,
        };
        bool everCongested = false;
        sim.Run(30 * Second, (now, _) => everCongested |= now > 5 * Second && sim.Estimator.IsCongested(now));
        output.WriteLine($"stalling receiver: estimate {sim.Estimator.EstimateBitsPerSecond}, cuts {sim.Estimator.Decreases}, media {sim.MediaBitsPerSecond}");
        Assert.Equal(0, sim.Estimator.Decreases);
        Assert.False(everCongested);
        Assert.Equal(900_000, sim.MediaBitsPerSecond);
    }

    [Fact]
    public void RandomLossLowersTheEstimate()
    {
        var clean = new LinkSimulation(NewEstimator(), seed: 3);
        clean.Run(30 * Second);
        var lossy = new LinkSimulation(NewEstimator(), seed: 3) { LossRate = 0.12 };
        lossy.Run(30 * Second);
        output.WriteLine($"0% loss {clean.Estimator.EstimateBitsPerSecond}, 12% loss {lossy.Estimator.EstimateBitsPerSecond} (fraction {lossy.Estimator.LossFraction:F3})");
        Assert.True(lossy.Estimator.EstimateBitsPerSecond < clean.Estimator.EstimateBitsPerSecond * 0.8);
    }

    [Fact]
    public void HeavyLossCutsTheEstimate()
    {
        var sim = new LinkSimulation(NewEstimator(), seed: 5);
        sim.Run(20 * Second);
        long before = sim.Estimator.EstimateBitsPerSecond;
        sim.LossRate = 0.3;
        sim.Run(25 * Second);
        output.WriteLine($"before {before}, after 5 s at 30% loss {sim.Estimator.EstimateBitsPerSecond}");
        Assert.True(sim.Estimator.EstimateBitsPerSecond < before / 2);
    }

    [Fact]
    public void EstimateStaysWithinOptions()
    {
        var estimator = new SendSideBandwidthEstimator(new BandwidthEstimatorOptions
        {
            InitialBitsPerSecond = 100_000, MinBitsPerSecond = 80_000, MaxBitsPerSecond = 400_000,
        });
        var sim = new LinkSimulation(estimator);
        sim.Run(30 * Second, (_, e) => Assert.InRange(e, 80_000, 400_000));
        Assert.Equal(400_000, estimator.EstimateBitsPerSecond);
    }

    [Fact]
    public void PacketAndFeedbackPathsAllocateNothing()
    {
        var estimator = NewEstimator();
        var recorder = new TransportFeedbackRecorder();
        byte[] wire = new byte[TransportFeedbackRecorder.MaxFeedbackLength];
        var decoded = new RtcpTransportFeedback.PacketResult[1024];
        long now = 0;
        ushort seq = 0;
        void Step(int i)
        {
            now += 4_800; // 2 Mbps of 1200-byte packets
            estimator.OnPacketSent(seq, 1200, now);
            if (i % 13 != 0)
            {
                recorder.OnPacket(seq, now + 20_000 + (i % 7 * 300));
            }
            seq++;
            if (i % 20 == 0)
            {
                int written = recorder.WriteFeedback(wire, 1, 2);
                if (written > 0 && RtcpTransportFeedback.TryParse(wire.AsSpan(0, written), out var view)
                    && view.TryRead(decoded, out int count))
                {
                    estimator.OnFeedback(decoded.AsSpan(0, count), now + 40_000);
                }
            }
        }
        for (int i = 0; i < 2_000; i++)
        {
            Step(i);
        }
        int next = 2_000;
        long allocated = AllocationMeter.Measure(() =>
        {
            for (int end = next + 10_000; next < end; next++)
            {
                Step(next);
            }
        });
        Assert.Equal(0, allocated);
        Assert.True(estimator.EstimateBitsPerSecond > 0);
    }
}
