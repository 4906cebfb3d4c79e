using MediaRelay.Sfu.Speaker;
using Xunit.Abstractions;

namespace MediaRelay.Sfu.Tests.Speaker;

/// <summary>Floor decisions on synthetic 50 packets/s level sequences with injected time.</summary>
public class ActiveSpeakerDetectorTests
{
    private readonly ITestOutputHelper _output;

    public ActiveSpeakerDetectorTests(ITestOutputHelper output) => _output = output;

    private static bool Never(double t) => false;

    [Theory]
    [InlineData(1)] // tick every 20 ms
    [InlineData(5)] // tick every 100 ms
    public void SingleTalkerBecomesDominant(int tickFrames)
    {
        var room = new SpeakerRoom(tickFrames: tickFrames);
        room.Add("alice", new SyntheticVoice(1), t => t >= 1.0);
        room.Add("bob", new SyntheticVoice(2), Never);

        room.RunUntil(1.0);
        Assert.Empty(room.Listener.Changes);
        room.RunUntil(6.0);

        Assert.Equal(new string?[] { "alice" }, room.Listener.Participants());
        Assert.Equal("alice", room.Detector.DominantSpeaker);
        double latency = room.ChangeSeconds(0) - 1.0;
        _output.WriteLine($"first talker dominant after {latency * 1000:F0} ms (tick {tickFrames * 20} ms)");
        Assert.InRange(latency, 0.5, 2.0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void ClearSpeakerChangeSwitchesWithinTwoSeconds(int tickFrames)
    {
        var room = new SpeakerRoom(tickFrames: tickFrames);
        room.Add("alice", new SyntheticVoice(3), t => t < 8.0);
        room.Add("bob", new SyntheticVoice(4, speechLevel: 40), t => t >= 8.0); // quieter microphone

        room.RunUntil(12.0);

        Assert.Equal(new string?[] { "alice", "bob" }, room.Listener.Participants());
        double latency = room.ChangeSeconds(1) - 8.0;
        _output.WriteLine($"speaker change switched after {latency * 1000:F0} ms (tick {tickFrames * 20} ms)");
        Assert.InRange(latency, 1.0, 2.0); // never before the 1 s hold, always within 2 s
    }

    [Fact]
    public void SpeakerChangeLatencyStaysWithinTwoSecondsAcrossVoices()
    {
        double min = double.MaxValue, max = 0, sum = 0;
        const int Runs = 40;
        for (int run = 0; run < Runs; run++)
        {
            var room = new SpeakerRoom(tickFrames: 1 + run % 5); // ticks every 20..100 ms
            byte levelA = (byte)(20 + run % 4 * 8), levelB = (byte)(44 - run % 3 * 8);
            room.Add("alice", new SyntheticVoice(100 + run, speechLevel: levelA), t => t < 8.0);
            room.Add("bob", new SyntheticVoice(200 + run, speechLevel: levelB), t => t >= 8.0);
            room.Add("carol", new SyntheticVoice(300 + run), Never);

            room.RunUntil(11.0);

            Assert.Equal(new string?[] { "alice", "bob" }, room.Listener.Participants());
            double latency = room.ChangeSeconds(1) - 8.0;
            Assert.InRange(latency, 1.0, 2.0);
            min = Math.Min(min, latency);
            max = Math.Max(max, latency);
            sum += latency;
        }
        _output.WriteLine($"speaker change over {Runs} voices: min {min * 1000:F0} ms, mean {sum / Runs * 1000:F0} ms, max {max * 1000:F0} ms");
    }

    [Fact]
    public void ShortLoudInterjectionDoesNotSwitch()
    {
        var room = new SpeakerRoom();
        room.Add("alice", new SyntheticVoice(5), t => t < 20.0);
        // 300 ms at -10 dBov, much louder than alice: a cough, or "yes!" over her.
        room.Add("bob", new SyntheticVoice(6, speechLevel: 10), t => t is >= 5.0 and < 5.3 or >= 12.0 and < 12.3);

        room.RunUntil(20.0);

        Assert.Equal(new string?[] { "alice" }, room.Listener.Participants());
    }

    [Fact]
    public void InterjectionDuringAPauseDoesNotSwitch()
    {
        var room = new SpeakerRoom();
        // Alice pauses 2.5 s (shorter than the silence timeout); Bob says one word in the middle of it.
        room.Add("alice", new SyntheticVoice(7), t => t is < 5.0 or >= 7.5);
        room.Add("bob", new SyntheticVoice(8, speechLevel: 15), t => t is >= 6.0 and < 6.3);

        room.RunUntil(12.0);

        Assert.Equal(new string?[] { "alice" }, room.Listener.Participants());
    }

    [Fact]
    public void EqualTalkersAlternatingEveryFiveSecondsSwitchEachTurnWithoutFlapping()
    {
        const double Turn = 5.0;
        const int Turns = 8;
        var room = new SpeakerRoom(tickFrames: 2);
        room.Add("alice", new SyntheticVoice(9), t => ((int)(t / Turn) & 1) == 0);
        room.Add("bob", new SyntheticVoice(10), t => ((int)(t / Turn) & 1) == 1);

        room.RunUntil(Turn * Turns);

        string?[] changes = room.Listener.Participants();
        Assert.Equal(Turns, changes.Length); // exactly one change per turn: no flapping inside a turn
        double worst = 0;
        for (int turn = 0; turn < Turns; turn++)
        {
            Assert.Equal(turn % 2 == 0 ? "alice" : "bob", changes[turn]);
            double latency = room.ChangeSeconds(turn) - turn * Turn;
            Assert.InRange(latency, 0.5, 2.0);
            worst = Math.Max(worst, latency);
        }
        _output.WriteLine($"alternating turns: worst switch latency {worst * 1000:F0} ms");
    }

    [Fact]
    public void PeopleTalkingOverEachOtherLeaveTheFloorWithItsHolder()
    {
        var room = new SpeakerRoom();
        room.Add("alice", new SyntheticVoice(11), t => true);
        room.Add("bob", new SyntheticVoice(12, speechLevel: 20), t => t >= 4.0); // louder, equally active

        room.RunUntil(20.0);

        Assert.Equal(new string?[] { "alice" }, room.Listener.Participants());
    }

    [Theory]
    [InlineData(false, 0)] // the brief's case: -60 dBov, steady, V=0
    [InlineData(true, 3)]  // a sender that sets V on every frame, noise wandering ±3 dB
    public void BackgroundNoiseNeverBecomesDominant(bool voiceBit, int spread)
    {
        var room = new SpeakerRoom();
        room.Add("alice", new SyntheticVoice(14, speechLevel: 45), t => t % 6.0 < 4.0); // soft talker with pauses
        room.Add("fan", new NoiseSource(60, spread, voiceBit, seed: 15), Never);

        double maxNoiseActivity = 0;
        for (double t = 0.5; t <= 30.0; t += 0.5)
        {
            room.RunUntil(t);
            Assert.True(room.Detector.TryGetActivity("fan", out double score));
            maxNoiseActivity = Math.Max(maxNoiseActivity, score);
        }

        Assert.DoesNotContain("fan", room.Listener.Participants());
        Assert.Equal("alice", room.Detector.DominantSpeaker);
        Assert.True(maxNoiseActivity < 0.05, $"noise activity reached {maxNoiseActivity:F3}");
    }

    [Fact]
    public void ActivityIsExposedPerSpeaker()
    {
        var room = new SpeakerRoom();
        room.Add("alice", new SyntheticVoice(16), t => true);
        room.Add("bob", new SyntheticVoice(17), Never);

        room.RunUntil(5.0);

        Assert.True(room.Detector.TryGetActivity("alice", out double alice));
        Assert.True(room.Detector.TryGetActivity("bob", out double bob));
        Assert.False(room.Detector.TryGetActivity("carol", out double unknown));
        _output.WriteLine($"activity: talker {alice:F2}, silent {bob:F2}");
        Assert.InRange(alice, 0.5, 1.0);
        Assert.Equal(0, bob);
        Assert.Equal(0, unknown);
    }

    [Fact]
    public void ShortPauseKeepsTheSpeakerAndLongSilenceClearsIt()
    {
        var room = new SpeakerRoom();
        room.Add("alice", new SyntheticVoice(18), t => t is < 5.0 or >= 8.0 and < 12.0); // 3 s pause, then quiet
        room.Add("bob", new SyntheticVoice(19), Never);

        room.RunUntil(11.9);
        Assert.Equal(new string?[] { "alice" }, room.Listener.Participants());

        room.RunUntil(25.0);
        Assert.Equal(new string?[] { "alice", null }, room.Listener.Participants());
        Assert.Null(room.Detector.DominantSpeaker);
        double cleared = room.ChangeSeconds(1) - 12.0;
        _output.WriteLine($"silence cleared the floor {cleared * 1000:F0} ms after the last word");
        Assert.InRange(cleared, 5.0, 6.5);
    }

    [Fact]
    public void InfiniteSilenceTimeoutKeepsTheLastSpeaker()
    {
        var room = new SpeakerRoom(new ActiveSpeakerOptions { SilenceTimeout = Timeout.InfiniteTimeSpan });
        room.Add("alice", new SyntheticVoice(20), t => t < 3.0);

        room.RunUntil(60.0);

        Assert.Equal(new string?[] { "alice" }, room.Listener.Participants());
    }

    [Fact]
    public void MutedSpeakerUnmutingIntoRoomNoiseDoesNotCountAsSpeech()
    {
        var room = new SpeakerRoom();
        room.Add("alice", new SyntheticVoice(21), t => t < 20.0);
        // Muted (digital silence, level 127) for 10 s, then unmuted into a noisy room (-50 dBov), never talking.
        room.Add("bob", new NoiseSource(50, 2, false, seed: 22, mutedUntilSeconds: 10.0), Never);

        room.RunUntil(20.0);

        Assert.Equal(new string?[] { "alice" }, room.Listener.Participants());
        Assert.True(room.Detector.TryGetActivity("bob", out double bob));
        Assert.True(bob < 0.05, $"bob {bob:F3}");
    }
}
