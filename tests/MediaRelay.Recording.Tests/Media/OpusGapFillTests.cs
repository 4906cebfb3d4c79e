using MediaRelay.Recording.Media;
using MediaRelay.Testing;

namespace MediaRelay.Recording.Tests.Media;

/// <summary>How a hole between two Opus packets is planned: 20 ms silence frames, short CELT frames for a remainder, half a packet of slack, a cap.</summary>
public class OpusGapFillTests
{
    private static List<(long Pts, int Samples)> Plan(long end, long next, int lastSamples, out OpusGapDecision decision)
    {
        var fill = new OpusGapFill();
        decision = fill.Begin(end, next, lastSamples);
        var frames = new List<(long, int)>();
        while (fill.TryNext(out long pts, out int samples))
        {
            frames.Add((pts, samples));
        }
        return frames;
    }

    [Fact]
    public void A_500_ms_hole_is_25_contiguous_20_ms_frames()
    {
        List<(long Pts, int Samples)> frames = Plan(1_000_000, 1_500_000, 960, out OpusGapDecision decision);

        Assert.Equal(OpusGapDecision.Bridged, decision);
        Assert.Equal(25, frames.Count);
        for (int i = 0; i < frames.Count; i++)
        {
            Assert.Equal((1_000_000 + (i * 20_000L), 960), frames[i]);
        }
    }

    [Theory]
    [InlineData(37_000, new[] { 960, 480, 240, 120 })] // 37 ms rounds to 37.5: 20 + 10 + 5 + 2.5
    [InlineData(31_000, new[] { 960, 480 })]           // 31 ms rounds to 30
    [InlineData(11_000, new[] { 480 })]                // just over half a 20 ms packet: a 10 ms frame
    [InlineData(60_000, new[] { 960, 960, 960 })]
    public void A_remainder_is_filled_with_short_celt_frames(long hole, int[] expected)
    {
        List<(long Pts, int Samples)> frames = Plan(0, hole, 960, out OpusGapDecision decision);

        Assert.Equal(OpusGapDecision.Bridged, decision);
        Assert.Equal(expected, frames.Select(f => f.Samples));
        long pts = 0;
        foreach (var (framePts, samples) in frames)
        {
            Assert.Equal(pts, framePts);
            pts += OpusToc.SamplesToMicroseconds(samples);
        }
        Assert.InRange(pts - hole, -1_250, 1_250);
    }

    [Theory]
    [InlineData(0, 960)]
    [InlineData(10_000, 960)]    // half a 20 ms packet: timestamp jitter, not a hole
    [InlineData(-5_000, 960)]    // overlap
    [InlineData(30_000, 2_880)]  // half a 60 ms SILK packet
    [InlineData(10_000, 0)]      // unknown duration counts as 20 ms
    public void Jitter_within_half_a_packet_is_not_bridged(long hole, int lastSamples)
    {
        Assert.Empty(Plan(5_000_000, 5_000_000 + hole, lastSamples, out OpusGapDecision decision));
        Assert.Equal(OpusGapDecision.None, decision);
    }

    [Fact]
    public void Holes_are_bridged_up_to_the_cap_and_no_further()
    {
        List<(long Pts, int Samples)> frames = Plan(0, OpusGapFill.MaxGapMicroseconds, 960, out OpusGapDecision decision);
        Assert.Equal(OpusGapDecision.Bridged, decision);
        Assert.Equal(30_000, frames.Count);

        Assert.Empty(Plan(0, OpusGapFill.MaxGapMicroseconds + 1, 960, out decision));
        Assert.Equal(OpusGapDecision.TooLong, decision);
        Assert.Empty(Plan(long.MinValue / 2, long.MaxValue / 2, 960, out decision)); // a corrupt timestamp
        Assert.Equal(OpusGapDecision.TooLong, decision);
    }

    [Fact]
    public void Planning_and_taking_silence_allocates_nothing()
    {
        var fill = new OpusGapFill();
        long sum = 0;
        void Round()
        {
            for (int i = 0; i < 10_000; i++)
            {
                if (fill.Begin(i * 100_000L, (i * 100_000L) + 57_500, 960) == OpusGapDecision.Bridged)
                {
                    while (fill.TryNext(out long pts, out int samples))
                    {
                        sum += pts + OpusSilence.Packet(samples, (i & 1) == 0).Length;
                    }
                }
            }
        }
        Round();
        Assert.Equal(0, AllocationMeter.Measure(Round));
        Assert.True(sum > 0);
    }
}
