namespace MediaRelay.Recording.Capture;

/// <summary>
/// Where the writer thread puts one track's packets (its journal). Called on the writer thread only. An
/// <see cref="IOException"/> (disk full, a failed flush) stops the recording with an alarm.
/// </summary>
public interface ITrackSink
{
    void AppendRtp(ReadOnlySpan<byte> rtp, long arrivalTicks);

    void AppendSenderReport(ulong ntpTimestamp, uint rtpTimestamp, long arrivalTicks);

    /// <summary>Makes everything appended so far durable if the last flush is older than the sink's interval (≤ 1 s).</summary>
    void MaybeFlush(long nowTicks);

    /// <summary>A clean end: flush and close.</summary>
    void Complete();
}
