namespace MediaRelay.LoadTest.Recording;

/// <summary>
/// One publisher stream (audio or video) of one room at the end of a record run: what the publisher sent, what the
/// recorder took (REST tracks[].packets, dropped), and what its subscribers received (distinct packets, by sequence
/// number), all counted after the publishers stopped and the last packets drained.
/// </summary>
internal sealed record RecordedStream(
    int Room,
    int Publisher,
    string Kind,
    long Sent,
    long Recorded,
    long Dropped,
    int Subscribers,
    long MinReceived,
    long MaxReceived,
    int SubscribersWithAll,
    long Duplicates)
{
    /// <summary>The recorder's claim: it took every packet the publisher sent, and lost none on the way to disk.</summary>
    public bool RecorderExact => Recorded == Sent && Dropped == 0;

    /// <summary>Every subscriber received every packet the publisher sent, exactly once.</summary>
    public bool ForwardingExact => SubscribersWithAll == Subscribers && Duplicates == 0;

    /// <summary>Packets some subscriber missed, summed over the subscribers (loopback loss, not the recorder).</summary>
    public long SubscriberShortfall { get; init; }
}
