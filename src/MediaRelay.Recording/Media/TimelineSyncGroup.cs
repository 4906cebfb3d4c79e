namespace MediaRelay.Recording.Media;

/// <summary>
/// Tracks that share one sender clock (one participant, one RTCP CNAME, RFC 3550 §6.5.1): their sender-report NTP
/// times are comparable, so lip sync comes from NTP alone. The group's offset to the room clock (the journal's
/// arrival clock) is the smallest (arrival - NTP) over all its sender reports: clock difference plus the least
/// network delay seen.
/// </summary>
internal sealed class TimelineSyncGroup
{
    public bool HasOffset { get; private set; }

    public long OffsetMicroseconds { get; private set; }

    public void Observe(long arrivalMinusSenderMicroseconds)
    {
        if (!HasOffset || arrivalMinusSenderMicroseconds < OffsetMicroseconds)
        {
            OffsetMicroseconds = arrivalMinusSenderMicroseconds;
            HasOffset = true;
        }
    }
}
