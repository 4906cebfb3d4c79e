using MediaRelay.Core;

namespace MediaRelay.Recording.Media;

/// <summary>
/// Maps one track's extended RTP timestamps to the room clock (journal arrival clock, microseconds).
/// With sender reports (RFC 3550 §6.4.1, https://www.rfc-editor.org/rfc/rfc3550#section-6.4.1: an NTP time and
/// the RTP timestamp of the same instant): take the latest SR that arrived before the frame (the first SR for
/// frames before it), extrapolate by (timestamp - SR timestamp) / clock rate, blend toward the next SR's mapping
/// when the frame lies between the two (so the mapping has no steps), then add the sync group's NTP-to-arrival
/// offset (<see cref="RoomTimeline"/>). Without any SR: anchor the RTP clock to arrival times
/// (lowest arrival-minus-media-time seen, re-anchored when the two disagree by more than
/// <see cref="ReanchorMicroseconds"/>, e.g. after a sender's timestamp jump).
/// Gaps in RTP time (network outage, DTX) stay gaps; output is strictly increasing.
/// SR deltas are taken modulo 2^32 ticks, so an SR must lie within 2^31 ticks (6.6 h at 90 kHz) of the frame.
/// </summary>
public sealed class TrackTimeline
{
    /// <summary>Arrival-anchored mapping re-anchors when media time and arrival disagree by more than this.</summary>
    public const long ReanchorMicroseconds = 5_000_000;

    /// <summary>Two consecutive sender reports whose mappings differ by at most this are interpolated between.</summary>
    public const long InterpolateWithinMicroseconds = 100_000;

    private readonly TimelineSyncGroup _group;
    private readonly List<SenderReportPoint> _reports = [];
    private int _cursor;
    private long _fallbackOffset;
    private bool _hasFallback;
    private long _last;
    private bool _hasLast;

    /// <summary>A track on its own (its own sync group).</summary>
    public TrackTimeline(int clockRate)
        : this(clockRate, new TimelineSyncGroup())
    {
    }

    internal TrackTimeline(int clockRate, TimelineSyncGroup group)
    {
        if (clockRate <= 0)
        {
            ThrowHelper.ThrowArgument("clockRate must be positive.");
        }
        ClockRate = clockRate;
        _group = group;
    }

    public int ClockRate { get; }

    public int SenderReportCount => _reports.Count;

    /// <summary>The first room time handed out, or null before any frame was mapped.</summary>
    public long? FirstRoomMicroseconds { get; private set; }

    /// <summary>
    /// Records one sender report (any order; kept sorted by arrival). For a stable mapping, add all of a track's
    /// (and its sync group's) reports before mapping frames; adding them as they come also works, with small
    /// steps whenever a report lowers the group's offset.
    /// </summary>
    public void AddSenderReport(ulong ntpTimestamp, uint rtpTimestamp, long arrivalMicroseconds)
    {
        long ntpMicroseconds = NtpToMicroseconds(ntpTimestamp);
        var point = new SenderReportPoint(ntpMicroseconds, rtpTimestamp, arrivalMicroseconds);
        int index = _reports.Count;
        while (index > 0 && _reports[index - 1].ArrivalMicroseconds > arrivalMicroseconds)
        {
            index--;
        }
        _reports.Insert(index, point);
        _group.Observe(arrivalMicroseconds - ntpMicroseconds);
    }

    /// <summary>
    /// Room time of a frame with extended RTP <paramref name="timestamp"/> whose last packet arrived at
    /// <paramref name="arrivalMicroseconds"/>. Call in frame order; results are strictly increasing.
    /// </summary>
    public long ToRoomMicroseconds(long timestamp, long arrivalMicroseconds)
    {
        long room = _reports.Count > 0 && _group.HasOffset
            ? FromSenderReport(timestamp, arrivalMicroseconds)
            : FromArrival(timestamp, arrivalMicroseconds);
        if (_hasLast && room <= _last)
        {
            room = _last + 1;
        }
        _last = room;
        _hasLast = true;
        FirstRoomMicroseconds ??= room;
        return room;
    }

    /// <summary>NTP timestamp (RFC 3550 §4) to microseconds since 1900.</summary>
    public static long NtpToMicroseconds(ulong ntp) =>
        ((long)(ntp >> 32) * 1_000_000) + (long)(((ntp & 0xFFFFFFFF) * 1_000_000) >> 32);

    private long FromSenderReport(long timestamp, long arrivalMicroseconds)
    {
        // Latest report that arrived no later than the frame; the first one for earlier frames. Frames come in order,
        // so the search starts where the last one ended (a long recording has thousands of reports).
        int index = Math.Min(_cursor, _reports.Count - 1);
        while (index + 1 < _reports.Count && _reports[index + 1].ArrivalMicroseconds <= arrivalMicroseconds)
        {
            index++;
        }
        while (index > 0 && _reports[index].ArrivalMicroseconds > arrivalMicroseconds)
        {
            index--;
        }
        _cursor = index;
        // A frame whose report came late (after the frame) still belongs to it when the two reports agree.
        while (index + 1 < _reports.Count && (int)((uint)timestamp - _reports[index + 1].RtpTimestamp) >= 0 && Agree(index, timestamp))
        {
            index++;
        }
        // And a frame that came after its report but was sampled before it belongs to the pair ahead of it.
        while (index > 0 && (int)((uint)timestamp - _reports[index].RtpTimestamp) < 0 && Agree(index - 1, timestamp))
        {
            index--;
        }
        long sender = Extrapolate(_reports[index], timestamp);
        if (index + 1 < _reports.Count && Agree(index, timestamp))
        {
            // Between two reports, move from one's mapping to the next's in proportion to the media time elapsed, so
            // a sender's report-to-report noise (a few ms when its audio thread is starved) makes no step: a forward
            // step would be a hole in the audio, a backward one an overlap. Reports that disagree by more than
            // InterpolateWithinMicroseconds (the RTP clock jumped) keep the step; so does a frame before the first.
            SenderReportPoint from = _reports[index], to = _reports[index + 1];
            long span = (int)(to.RtpTimestamp - from.RtpTimestamp);
            long into = (int)((uint)timestamp - from.RtpTimestamp);
            if (span > 0 && into >= 0 && into <= span)
            {
                sender += (Extrapolate(to, timestamp) - sender) * into / span;
            }
        }
        return sender + _group.OffsetMicroseconds;
    }

    /// <summary>Whether report <paramref name="index"/> and the next map the frame within <see cref="InterpolateWithinMicroseconds"/>.</summary>
    private bool Agree(int index, long timestamp) =>
        Math.Abs(Extrapolate(_reports[index + 1], timestamp) - Extrapolate(_reports[index], timestamp)) <= InterpolateWithinMicroseconds;

    /// <summary>Sender time (NTP µs) of <paramref name="timestamp"/> by one report's mapping.</summary>
    private long Extrapolate(SenderReportPoint report, long timestamp) =>
        report.NtpMicroseconds + TicksToMicroseconds((int)((uint)timestamp - report.RtpTimestamp));

    private long FromArrival(long timestamp, long arrivalMicroseconds)
    {
        long media = TicksToMicroseconds(timestamp);
        long offset = arrivalMicroseconds - media;
        if (!_hasFallback || offset < _fallbackOffset || offset - _fallbackOffset > ReanchorMicroseconds)
        {
            _fallbackOffset = offset;
            _hasFallback = true;
        }
        return media + _fallbackOffset;
    }

    private long TicksToMicroseconds(long ticks) =>
        (ticks / ClockRate * 1_000_000) + (ticks % ClockRate * 1_000_000 / ClockRate);

    private readonly record struct SenderReportPoint(long NtpMicroseconds, uint RtpTimestamp, long ArrivalMicroseconds);
}
