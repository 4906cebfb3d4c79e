namespace MediaRelay.LoadTest.Janus;

/// <summary>A VideoRoom publisher handle: its feed id (what subscribers ask for) and Janus's SDP answer.</summary>
public sealed record JanusPublisher(long Handle, long FeedId, string AnswerSdp);
