using MediaRelay.LoadTest.Measurement;

namespace MediaRelay.LoadTest.Recording;

/// <summary>
/// The record command's run: the load window measured while every room recorded, the per-stream ledger, the
/// recordings' final states, the recorder's metrics (deltas over the proof; NaN when the server lacks them), and the
/// windows of the cost comparison that followed (alternately without and with recording).
/// </summary>
internal sealed record RecordRunResult(
    StepResult Window,
    IReadOnlyList<RecordedStream> Streams,
    IReadOnlyList<string> RecordingStates,
    double JournalPackets,
    double JournalDropped,
    double JournalBytes,
    double ActiveAfterStop,
    double QueueDepthAfterStop,
    double ForwardedPackets,
    long SubscriberPackets,
    int UnattributedStreams,
    int Files,
    double LongestDurationSeconds,
    IReadOnlyList<(bool Recording, StepResult Window)> Comparison)
{
    public long Sent => Streams.Sum(s => s.Sent);

    public long Recorded => Streams.Sum(s => s.Recorded);

    public long Dropped => Streams.Sum(s => s.Dropped);
}
