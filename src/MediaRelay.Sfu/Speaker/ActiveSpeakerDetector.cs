using System.Diagnostics;
using MediaRelay.Core;
using MediaRelay.Rtp;

namespace MediaRelay.Sfu.Speaker;

/// <summary>
/// Dominant speaker of one room, from the RFC 6464 client-to-mixer audio levels
/// (https://www.rfc-editor.org/rfc/rfc6464#section-3) its participants send with every audio frame.
/// <para>
/// Algorithm (own design, in the spirit of Volfin &amp; Cohen's multi-time-scale speech activity), per speaker:
/// (1) <b>frame</b>: loudness = 127 - level dB; a noise floor is the minimum loudness over the last
/// <see cref="ActiveSpeakerOptions.NoiseFloorWindow"/> (4 s, eight 500 ms block minima; digital silence ignored).
/// A frame is speech when it is at least 12 dB above that floor, louder than -80 dBov, and carries V=1 if this
/// sender ever set V (the V bit only vetoes senders that use it). Steady noise sits on its own floor and never
/// counts, whatever its absolute level or microphone gain. (2) <b>short term</b>: each tick folds the frames
/// received since the previous one into a speech fraction (a speaker without frames for 200 ms is silent).
/// (3) <b>medium term</b>: activity = exponential average of that fraction, time constant 400 ms (0..1; exposed
/// through <see cref="TryGetActivity"/>). (4) <b>decision with hysteresis</b>: a challenger accrues lead time
/// while its activity is &gt;= 0.3 and &gt;= the dominant's + 0.15, and pays it back at the same rate while not;
/// at 1 s of lead it takes the floor and every lead restarts from zero. So a 300 ms cough or a one-word
/// interjection never switches, two people talking over each other leave the floor where it was, and a real
/// change of speaker switches about 1.4 s after the new voice starts (≈0.4 s for the averages to cross with the
/// margin, then the 1 s hold). (5) <b>silence</b>: the floor is kept through pauses and cleared (null) only
/// after 5 s with nobody above 0.3 (configurable, or never). A dominant speaker that is removed is replaced at
/// once by the most active remaining speaker above 0.3, else null.
/// </para>
/// <para>
/// Threads: <see cref="AddSpeaker"/>/<see cref="RemoveSpeaker"/>/<see cref="TryGetActivity"/>/
/// <see cref="DominantSpeaker"/> from any thread (speakers live in a copy-on-write array);
/// <see cref="OnAudioLevel(int, byte, bool, long)"/> and <see cref="Tick"/> from the media loop only, which also
/// receives the listener callbacks. Timestamps are <see cref="Stopwatch"/> ticks.
/// </para>
/// </summary>
public sealed class ActiveSpeakerDetector
{
    private const int IndexBits = 16;
    private const int IndexMask = (1 << IndexBits) - 1;
    private const int MaxGeneration = 0x7FFF;

    private readonly IActiveSpeakerListener _listener;
    private readonly DetectorSettings _settings;
    private readonly Lock _gate = new();
    private SpeakerActivity?[] _slots = [];
    private int[] _generations = [];

    // Media loop state.
    private SpeakerActivity? _dominant;
    private long _lastTick;
    private long _lastActive;
    private bool _hasTick;
    private long _ignoredLevels;

    private volatile string? _dominantId;

    public ActiveSpeakerDetector(IActiveSpeakerListener listener, ActiveSpeakerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(listener);
        _listener = listener;
        _settings = new DetectorSettings(options ?? new ActiveSpeakerOptions());
    }

    /// <summary>Participant currently holding the floor, or null.</summary>
    public string? DominantSpeaker => _dominantId;

    /// <summary>Levels dropped because their slot was stale or unknown (media loop counter, for metrics).</summary>
    public long IgnoredLevels => Volatile.Read(ref _ignoredLevels);

    /// <summary>
    /// Registers a participant's audio and returns its slot handle for <see cref="OnAudioLevel(int, byte, bool, long)"/>
    /// (an index plus a generation, so the levels of a removed speaker never land on its slot's next owner).
    /// Control plane; throws when the participant is already registered.
    /// </summary>
    public int AddSpeaker(string participantId)
    {
        ArgumentException.ThrowIfNullOrEmpty(participantId);
        lock (_gate)
        {
            SpeakerActivity?[] slots = _slots;
            int index = -1;
            for (int i = 0; i < slots.Length; i++)
            {
                SpeakerActivity? speaker = slots[i];
                if (speaker is null)
                {
                    if (index < 0)
                    {
                        index = i;
                    }
                }
                else if (speaker.ParticipantId == participantId)
                {
                    ThrowHelper.ThrowArgument($"Speaker '{participantId}' is already registered.", nameof(participantId));
                }
            }
            if (index < 0)
            {
                index = slots.Length;
                if (index > IndexMask)
                {
                    ThrowHelper.ThrowInvalidOperation("Too many speakers in one detector.");
                }
                Array.Resize(ref _generations, index + 1);
            }
            int generation = _generations[index] >= MaxGeneration ? 1 : _generations[index] + 1;
            _generations[index] = generation;
            int handle = (generation << IndexBits) | index;

            var next = new SpeakerActivity?[Math.Max(slots.Length, index + 1)];
            Array.Copy(slots, next, slots.Length);
            next[index] = new SpeakerActivity(participantId, handle);
            Volatile.Write(ref _slots, next);
            return handle;
        }
    }

    /// <summary>
    /// Unregisters a participant (unknown ids are ignored). Control plane. If it held the floor, the next
    /// <see cref="Tick"/> hands the floor over and notifies the listener.
    /// </summary>
    public void RemoveSpeaker(string participantId)
    {
        ArgumentNullException.ThrowIfNull(participantId);
        lock (_gate)
        {
            SpeakerActivity?[] slots = _slots;
            for (int i = 0; i < slots.Length; i++)
            {
                if (slots[i] is { } speaker && speaker.ParticipantId == participantId)
                {
                    var next = (SpeakerActivity?[])slots.Clone();
                    next[i] = null;
                    Volatile.Write(ref _slots, next);
                    return;
                }
            }
        }
    }

    /// <summary>Smoothed speech activity (0..1) of a participant, for a levels display. Any thread.</summary>
    public bool TryGetActivity(string participantId, out double score)
    {
        SpeakerActivity?[] slots = Volatile.Read(ref _slots);
        for (int i = 0; i < slots.Length; i++)
        {
            if (slots[i] is { } speaker && speaker.ParticipantId == participantId)
            {
                score = speaker.Activity;
                return true;
            }
        }
        score = 0;
        return false;
    }

    /// <summary>One frame's RFC 6464 audio level. Media loop only; O(1), allocation-free; stale slots are ignored.</summary>
    public void OnAudioLevel(int slot, byte level, bool voiceActivity, long timestamp)
    {
        SpeakerActivity?[] slots = Volatile.Read(ref _slots);
        int index = slot & IndexMask;
        SpeakerActivity? speaker;
        if (slot <= 0 || index >= slots.Length || (speaker = slots[index]) is null || speaker.Handle != slot)
        {
            _ignoredLevels++;
            return;
        }
        speaker.OnLevel(level, voiceActivity, timestamp, in _settings);
    }

    /// <inheritdoc cref="OnAudioLevel(int, byte, bool, long)"/>
    public void OnAudioLevel(int slot, AudioLevel level, long timestamp) =>
        OnAudioLevel(slot, level.Level, level.VoiceActivity, timestamp);

    /// <summary>
    /// Updates every speaker's activity and decides the floor; raises
    /// <see cref="IActiveSpeakerListener.OnDominantSpeakerChanged"/> on a change. Media loop, every 20-100 ms.
    /// </summary>
    public void Tick(long timestamp)
    {
        SpeakerActivity?[] slots = Volatile.Read(ref _slots);
        long tickTicks = 0;
        if (_hasTick)
        {
            tickTicks = Math.Clamp(timestamp - _lastTick, 0, _settings.MaxTickTicks);
        }
        else
        {
            _lastActive = timestamp;
        }
        _hasTick = true;
        _lastTick = timestamp;

        double threshold = _settings.ActivityThreshold;
        SpeakerActivity? best = null;
        for (int i = 0; i < slots.Length; i++)
        {
            if (slots[i] is { } speaker)
            {
                speaker.Update(timestamp, tickTicks, in _settings);
                if (speaker.Activity >= threshold && (best is null || speaker.Activity > best.Activity))
                {
                    best = speaker;
                }
            }
        }
        if (best is not null)
        {
            _lastActive = timestamp;
        }

        SpeakerActivity? dominant = _dominant;
        if (dominant is not null && !IsRegistered(slots, dominant))
        {
            Hand(slots, best); // the floor is vacant: no hold for the most active one left
            return;
        }

        double tickSeconds = (double)tickTicks / Stopwatch.Frequency;
        double bar = (dominant?.Activity ?? 0) + _settings.SwitchMargin;
        SpeakerActivity? winner = null;
        for (int i = 0; i < slots.Length; i++)
        {
            if (slots[i] is not { } speaker || speaker == dominant)
            {
                continue;
            }
            bool leading = speaker.Activity >= threshold && speaker.Activity >= bar;
            speaker.Lead = leading ? speaker.Lead + tickSeconds : Math.Max(0, speaker.Lead - tickSeconds);
            if (leading && speaker.Lead >= _settings.SwitchHoldSeconds
                && (winner is null || speaker.Lead > winner.Lead
                    || (speaker.Lead == winner.Lead && speaker.Activity > winner.Activity)))
            {
                winner = speaker;
            }
        }
        if (winner is not null)
        {
            Hand(slots, winner);
        }
        else if (dominant is not null && timestamp - _lastActive >= _settings.SilenceTimeoutTicks)
        {
            Hand(slots, null);
        }
    }

    private static bool IsRegistered(SpeakerActivity?[] slots, SpeakerActivity speaker)
    {
        int index = speaker.Handle & IndexMask;
        return index < slots.Length && slots[index] == speaker;
    }

    private void Hand(SpeakerActivity?[] slots, SpeakerActivity? next)
    {
        for (int i = 0; i < slots.Length; i++)
        {
            if (slots[i] is { } speaker)
            {
                speaker.Lead = 0;
            }
        }
        if (next == _dominant)
        {
            return;
        }
        _dominant = next;
        string? id = next?.ParticipantId;
        if (id == _dominantId)
        {
            return; // e.g. the same participant removed and re-added
        }
        _dominantId = id;
        _listener.OnDominantSpeakerChanged(id);
    }
}
