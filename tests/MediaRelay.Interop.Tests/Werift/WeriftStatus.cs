namespace MediaRelay.Interop.Tests.Werift;

/// <summary>
/// One <c>{"type":"status"}</c> line of the werift client (client.mjs): its peer connection's states and RTP
/// packet counts per media kind.
/// </summary>
public sealed record WeriftStatus
{
    public string? ParticipantId { get; init; }

    /// <summary>werift's <c>RTCPeerConnection.connectionState</c>.</summary>
    public string ConnectionState { get; init; } = "new";

    public string IceConnectionState { get; init; } = "new";

    /// <summary>True once <see cref="ConnectionState"/> has been "connected" (ICE and DTLS both up).</summary>
    public bool ReachedConnected { get; init; }

    /// <summary>RTP packets received on the recvonly transceivers bound to other participants' producers.</summary>
    public WeriftPacketCounts Received { get; init; } = new();

    /// <summary>RTP packets received per subscribed producer id.</summary>
    public IReadOnlyDictionary<string, long> ReceivedByProducer { get; init; } = new Dictionary<string, long>();

    /// <summary>ffmpeg RTP packets handed to werift's senders while connected.</summary>
    public WeriftPacketCounts Sent { get; init; } = new();

    /// <summary>ffmpeg RTP packets that reached the client at all (also before the connection was up).</summary>
    public WeriftPacketCounts Fed { get; init; } = new();

    /// <summary>The answered mid → producer id map of the last negotiation.</summary>
    public IReadOnlyDictionary<string, string> Subscriptions { get; init; } = new Dictionary<string, string>();

    public int Negotiations { get; init; }

    public IReadOnlyList<string> Errors { get; init; } = [];

    public long ElapsedMs { get; init; }

    public override string ToString() =>
        $"connection={ConnectionState} ice={IceConnectionState} reachedConnected={ReachedConnected} " +
        $"received: audio={Received.Audio} video={Received.Video}; sent: audio={Sent.Audio} video={Sent.Video}; " +
        $"fed: audio={Fed.Audio} video={Fed.Video}; subscriptions={Subscriptions.Count} " +
        $"negotiations={Negotiations} errors=[{string.Join("; ", Errors)}] at {ElapsedMs} ms";
}
