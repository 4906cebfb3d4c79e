using MediaRelay.Sfu.Speaker;
using MediaRelay.Testing;

namespace MediaRelay.Sfu.Tests.Speaker;

/// <summary>CI gate: the detector's media-loop calls allocate nothing once warm, including floor changes.</summary>
public class ActiveSpeakerAllocationTests
{
    private const int Iterations = 10_000;

    [Fact]
    public void AudioLevelsAndTicksAllocateNothing()
    {
        var listener = new RecordingSpeakerListener();
        var detector = new ActiveSpeakerDetector(listener);
        const int Speakers = 16;
        var slots = new int[Speakers];
        for (int i = 0; i < Speakers; i++)
        {
            slots[i] = detector.AddSpeaker($"p{i}");
        }
        // Precomputed levels: speaker (frame / 500) % 4 talks, so the floor moves every 10 s of media.
        var levels = new byte[Iterations];
        var random = new Random(1);
        for (int i = 0; i < levels.Length; i++)
        {
            levels[i] = (byte)(i % 12 < 9 ? 25 + random.Next(8) : 68 + random.Next(4));
        }
        long time = TestMedia.T0;
        long frame = TestMedia.Milliseconds(20);
        Run(detector, slots, levels, ref time, frame); // warm-up (tiering)
        int fewestChanges = int.MaxValue;

        long allocated = AllocationMeter.Measure(() =>
        {
            int changesBefore = listener.Changes.Count;
            Run(detector, slots, levels, ref time, frame);
            fewestChanges = Math.Min(fewestChanges, listener.Changes.Count - changesBefore);
        });

        Assert.Equal(0, allocated);
        Assert.True(fewestChanges > 0, "every measured run should include floor changes");
    }

    private static void Run(ActiveSpeakerDetector detector, int[] slots, byte[] levels, ref long time, long frame)
    {
        // 10,000 frames x 16 speakers = 160,000 OnAudioLevel calls and 10,000 ticks (200 s of media).
        for (int i = 0; i < levels.Length; i++)
        {
            int talker = (i / 500) % 4;
            for (int s = 0; s < slots.Length; s++)
            {
                bool talking = s == talker;
                detector.OnAudioLevel(slots[s], talking ? levels[i] : (byte)70, talking && levels[i] < 60, time);
            }
            detector.Tick(time);
            time += frame;
        }
    }
}
