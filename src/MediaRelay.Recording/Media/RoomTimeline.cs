namespace MediaRelay.Recording.Media;

/// <summary>
/// Places every track of a room on one clock: the journal's arrival clock in microseconds. Tracks added with the
/// same sync group (a participant, or its RTCP CNAME) are aligned to each other by their sender reports' NTP times
/// (RFC 3550 §6.4.1), which gives audio/video sync; each group is placed against the room clock by the arrival
/// times of its sender reports, so participants whose wall clocks disagree still line up, and a track that starts
/// later lands at its true offset. Subtract the room's origin (e.g. the recording's start arrival time) to get file
/// timestamps. Cold path: one instance per finalization.
/// </summary>
public sealed class RoomTimeline
{
    private readonly Dictionary<string, TimelineSyncGroup> _groups = new(StringComparer.Ordinal);
    private readonly List<TrackTimeline> _tracks = [];

    public IReadOnlyList<TrackTimeline> Tracks => _tracks;

    /// <summary>Adds a track whose RTP clock runs at <paramref name="clockRate"/> Hz (48000 Opus, 90000 video).</summary>
    public TrackTimeline AddTrack(string syncGroup, int clockRate)
    {
        ArgumentNullException.ThrowIfNull(syncGroup);
        if (!_groups.TryGetValue(syncGroup, out TimelineSyncGroup? group))
        {
            group = new TimelineSyncGroup();
            _groups.Add(syncGroup, group);
        }
        var track = new TrackTimeline(clockRate, group);
        _tracks.Add(track);
        return track;
    }
}
