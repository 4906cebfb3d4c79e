using MediaRelay.Sfu.Speaker;

namespace MediaRelay.Sfu.Tests.Speaker;

/// <summary>
/// Drives an <see cref="ActiveSpeakerDetector"/> the way the media loop does: every 20 ms each participant's
/// level (50 packets/s), and a tick every <c>tickFrames</c> frames, with injected Stopwatch timestamps.
/// Each participant follows a script: talking or not as a function of the time in seconds.
/// </summary>
internal sealed class SpeakerRoom
{
    public const int FrameMilliseconds = 20;

    private readonly List<Participant> _participants = new();
    private readonly int _tickFrames;
    private long _frame;

    public SpeakerRoom(ActiveSpeakerOptions? options = null, int tickFrames = 1)
    {
        Listener = new RecordingSpeakerListener();
        Detector = new ActiveSpeakerDetector(Listener, options);
        _tickFrames = tickFrames;
    }

    public ActiveSpeakerDetector Detector { get; }
    public RecordingSpeakerListener Listener { get; }

    /// <summary>Seconds since the start of the run.</summary>
    public double Seconds => _frame * FrameMilliseconds / 1000.0;

    public long Now => TestMedia.T0 + TestMedia.Milliseconds(_frame * FrameMilliseconds);

    public int Add(string id, ILevelSource voice, Func<double, bool> talking)
    {
        int slot = Detector.AddSpeaker(id);
        _participants.Add(new Participant(id, slot, voice, talking));
        return slot;
    }

    public void Remove(string id)
    {
        Detector.RemoveSpeaker(id);
        _participants.RemoveAll(p => p.Id == id);
    }

    /// <summary>Runs until <paramref name="untilSeconds"/> (absolute run time).</summary>
    public void RunUntil(double untilSeconds)
    {
        while (Seconds < untilSeconds - 1e-9)
        {
            long now = Now;
            double seconds = Seconds;
            foreach (Participant p in _participants)
            {
                (byte level, bool voice) = p.Voice.Next(p.Talking(seconds), seconds);
                Detector.OnAudioLevel(p.Slot, level, voice, now);
            }
            _frame++;
            if (_frame % _tickFrames == 0)
            {
                Listener.Now = Now;
                Detector.Tick(Now);
            }
        }
    }

    /// <summary>Run time (s) of the i-th recorded change.</summary>
    public double ChangeSeconds(int index) =>
        (double)(Listener.Changes[index].Time - TestMedia.T0) / System.Diagnostics.Stopwatch.Frequency;

    private sealed record Participant(string Id, int Slot, ILevelSource Voice, Func<double, bool> Talking);
}
