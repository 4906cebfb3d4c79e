using System.Diagnostics;
using MediaRelay.Recording.Capture;
using MediaRelay.Recording.Journal;

namespace MediaRelay.Server.Recording;

/// <summary>
/// A track's journal behind the writer thread: Stopwatch arrival ticks become the journal's monotonic microseconds,
/// and a wall-clock anchor taken once gives the UTC microseconds beside them.
/// </summary>
internal sealed class JournalTrackSink(TrackJournalWriter journal, long anchorTicks, long anchorUtcMicros) : ITrackSink
{
    private long _rtpPackets;

    public TrackJournalWriter Journal => journal;

    /// <summary>RTP packets appended to the journal (written on the writer thread, read from any).</summary>
    public long RtpPackets => Volatile.Read(ref _rtpPackets);

    public void AppendRtp(ReadOnlySpan<byte> rtp, long arrivalTicks)
    {
        long monotonic = Micros(arrivalTicks);
        if (journal.AppendRtpPacket(rtp, Utc(arrivalTicks), monotonic))
        {
            Volatile.Write(ref _rtpPackets, _rtpPackets + 1);
        }
    }

    public void AppendSenderReport(ulong ntpTimestamp, uint rtpTimestamp, long arrivalTicks) =>
        journal.AppendSenderReport(journal.Metadata.Ssrc, ntpTimestamp, rtpTimestamp, Utc(arrivalTicks), Micros(arrivalTicks));

    public void MaybeFlush(long nowTicks) => journal.MaybeFlush(Micros(nowTicks));

    public void Complete()
    {
        long now = Stopwatch.GetTimestamp();
        journal.Complete(Utc(now), Micros(now));
        journal.Dispose();
    }

    private static long Micros(long ticks) => (long)(ticks * (1_000_000.0 / Stopwatch.Frequency));

    private long Utc(long ticks) => anchorUtcMicros + Micros(ticks - anchorTicks);
}
