using MediaRelay.Rtp;
using MediaRelay.Sfu.Speaker;

namespace MediaRelay.Sfu.Tests.Speaker;

/// <summary>Control plane: registration, removal, stale and garbage slots, option validation.</summary>
public class ActiveSpeakerSlotTests
{
    private static bool Never(double t) => false;

    [Fact]
    public void RemovingTheDominantSpeakerRaisesAChangeToNull()
    {
        var room = new SpeakerRoom();
        room.Add("alice", new SyntheticVoice(1), t => true);
        room.Add("bob", new SyntheticVoice(2), Never);
        room.RunUntil(4.0);
        Assert.Equal("alice", room.Detector.DominantSpeaker);

        room.Remove("alice");
        Assert.Equal("alice", room.Detector.DominantSpeaker); // decided on the media loop, at the next tick
        room.RunUntil(4.02);

        Assert.Equal(new string?[] { "alice", null }, room.Listener.Participants());
        Assert.Null(room.Detector.DominantSpeaker);
        Assert.False(room.Detector.TryGetActivity("alice", out _));
    }

    [Fact]
    public void RemovingTheDominantSpeakerHandsTheFloorToAnActiveOneAtOnce()
    {
        var room = new SpeakerRoom();
        room.Add("alice", new SyntheticVoice(3), t => true);
        room.Add("bob", new SyntheticVoice(4), t => t >= 3.0); // talking over alice: active, but no lead
        room.RunUntil(6.0);
        Assert.Equal(new string?[] { "alice" }, room.Listener.Participants());

        room.Remove("alice");
        room.RunUntil(6.02);

        Assert.Equal(new string?[] { "alice", "bob" }, room.Listener.Participants());
    }

    [Fact]
    public void LevelsForARemovedSpeakersStaleSlotAreIgnored()
    {
        var listener = new RecordingSpeakerListener();
        var detector = new ActiveSpeakerDetector(listener);
        int alice = detector.AddSpeaker("alice");
        detector.RemoveSpeaker("alice");
        int carol = detector.AddSpeaker("carol"); // reuses alice's index with a new generation
        Assert.NotEqual(alice, carol);
        Assert.Equal(alice & 0xFFFF, carol & 0xFFFF);

        // Alice's packets still in flight: loud speech on her stale slot for 5 s.
        var voice = new SyntheticVoice(5);
        long time = TestMedia.T0;
        for (int frame = 0; frame < 250; frame++)
        {
            (byte level, bool v) = voice.Next(true, frame * 0.02);
            detector.OnAudioLevel(alice, level, v, time);
            time += TestMedia.Milliseconds(20);
            detector.Tick(time);
        }

        Assert.Equal(250, detector.IgnoredLevels);
        Assert.True(detector.TryGetActivity("carol", out double score));
        Assert.Equal(0, score);
        Assert.Empty(listener.Changes);
    }

    [Fact]
    public void GarbageSlotsAndLevelsNeverThrow()
    {
        var detector = new ActiveSpeakerDetector(new RecordingSpeakerListener());
        int slot = detector.AddSpeaker("alice");
        var random = new Random(6);
        long time = TestMedia.T0;
        for (int i = 0; i < 20_000; i++)
        {
            int anySlot = i % 3 == 0 ? slot : random.Next(int.MinValue, int.MaxValue);
            detector.OnAudioLevel(anySlot, (byte)random.Next(256), random.Next(2) == 1, time + random.Next(-1000, 1000));
            if (i % 7 == 0)
            {
                detector.Tick(time + random.Next(-100_000, 100_000)); // including time going backwards
            }
            time += TestMedia.Milliseconds(5);
        }
        detector.OnAudioLevel(0, 0, true, time);
        detector.OnAudioLevel(-1, 0, true, time);
        detector.OnAudioLevel(slot, AudioLevel.Parse(0xFF), time);
        detector.RemoveSpeaker("alice");
        detector.RemoveSpeaker("alice");
        detector.RemoveSpeaker("nobody");
        detector.OnAudioLevel(slot, 0, true, time);
        detector.Tick(time);
    }

    [Fact]
    public void SlotsSurviveManyAddRemoveCycles()
    {
        var detector = new ActiveSpeakerDetector(new RecordingSpeakerListener());
        int previous = 0;
        for (int i = 0; i < 70_000; i++) // wraps the 15-bit generation
        {
            int slot = detector.AddSpeaker("p");
            Assert.True(slot > 0);
            Assert.NotEqual(previous, slot);
            previous = slot;
            detector.RemoveSpeaker("p");
        }
    }

    [Fact]
    public void DuplicateParticipantIsRejected()
    {
        var detector = new ActiveSpeakerDetector(new RecordingSpeakerListener());
        detector.AddSpeaker("alice");
        Assert.Throws<ArgumentException>(() => detector.AddSpeaker("alice"));
        Assert.ThrowsAny<ArgumentException>(() => detector.AddSpeaker(""));
    }

    [Fact]
    public void InvalidOptionsAreRejected()
    {
        var listener = new RecordingSpeakerListener();
        Assert.Throws<ArgumentException>(() => new ActiveSpeakerDetector(listener, new ActiveSpeakerOptions { SpeechThresholdDb = 0 }));
        Assert.Throws<ArgumentException>(() => new ActiveSpeakerDetector(listener, new ActiveSpeakerOptions { ActivityThreshold = 1.5 }));
        Assert.Throws<ArgumentException>(() => new ActiveSpeakerDetector(listener, new ActiveSpeakerOptions { SwitchHold = TimeSpan.FromSeconds(-1) }));
        Assert.Throws<ArgumentException>(() => new ActiveSpeakerDetector(listener, new ActiveSpeakerOptions { SilenceTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentNullException>(() => new ActiveSpeakerDetector(null!));
    }
}
