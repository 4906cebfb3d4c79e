namespace MediaRelay.Sfu.Speaker;

/// <summary>
/// One participant's speech statistics inside an <see cref="ActiveSpeakerDetector"/>. Created on the control
/// plane; mutated only on the media loop (<see cref="OnLevel"/>, <see cref="Update"/>), so it needs no locks.
/// <see cref="Activity"/> may be read from any thread (an aligned double: never torn on 64-bit).
/// </summary>
internal sealed class SpeakerActivity
{
    private NoiseFloorTracker _floor;
    private int _frames;
    private int _speechFrames;
    private long _lastPacket;
    private long _lastUpdate;
    private bool _hasPacket;
    private bool _hasUpdate;
    private bool _sendsVoiceActivity;

    public SpeakerActivity(string participantId, int handle)
    {
        ParticipantId = participantId;
        Handle = handle;
    }

    public string ParticipantId { get; }

    /// <summary>Slot handle (index and generation) given to the hot path.</summary>
    public int Handle { get; }

    /// <summary>Smoothed fraction (0..1) of recent time spent speaking.</summary>
    public double Activity { get; private set; }

    /// <summary>Seconds this speaker has led the dominant one (see <see cref="ActiveSpeakerOptions.SwitchHold"/>).</summary>
    public double Lead { get; set; }

    /// <summary>Classifies one frame's level as speech or not (hot path).</summary>
    public void OnLevel(byte level, bool voiceActivity, long timestamp, in DetectorSettings settings)
    {
        if (level > 127)
        {
            level = 127;
        }
        _frames++;
        _lastPacket = timestamp;
        _hasPacket = true;
        if (voiceActivity)
        {
            _sendsVoiceActivity = true;
        }
        _floor.Advance(timestamp, settings.FloorBlockTicks);
        int loudness = 127 - level;
        if (level < 127)
        {
            _floor.Observe(loudness); // digital silence (muted track) says nothing about the room's noise
        }
        // The V bit vetoes only senders that use it: some set it on every frame, others never.
        bool speech = level <= settings.QuietestSpeechLevel
            && loudness - _floor.Floor >= settings.SpeechThresholdDb
            && (voiceActivity || !_sendsVoiceActivity);
        if (speech)
        {
            _speechFrames++;
        }
    }

    /// <summary>Folds the frames seen since the last update into <see cref="Activity"/> (tick). A speaker's first
    /// update integrates only <paramref name="tickTicks"/>, so one frame right after joining weighs as little as usual.</summary>
    public void Update(long timestamp, long tickTicks, in DetectorSettings settings)
    {
        double fraction;
        if (_frames > 0)
        {
            fraction = (double)_speechFrames / _frames;
        }
        else if (!_hasPacket || timestamp - _lastPacket >= settings.PacketTimeoutTicks)
        {
            fraction = 0; // muted, DTX or lost: silent
        }
        else
        {
            return; // the next frame has not arrived yet: hold, do not read a scheduling gap as silence
        }
        long elapsed = _hasUpdate ? timestamp - _lastUpdate : tickTicks;
        _lastUpdate = timestamp;
        _hasUpdate = true;
        _frames = 0;
        _speechFrames = 0;
        if (elapsed <= 0)
        {
            return;
        }
        if (elapsed > settings.MaxUpdateTicks)
        {
            elapsed = settings.MaxUpdateTicks;
        }
        double alpha = 1.0 - Math.Exp(-elapsed * settings.InverseActivityTicks);
        Activity += (fraction - Activity) * alpha;
    }
}
