namespace MediaRelay.Interop.Tests.Werift;

/// <summary>RTP packet counts per media kind, as the werift client reports them.</summary>
public sealed record WeriftPacketCounts
{
    public long Audio { get; init; }

    public long Video { get; init; }
}
