using System.Text.Json.Nodes;
using MediaRelay.Server.Media;
using MediaRelay.Server.Signaling;
using MediaRelay.Sfu;

namespace MediaRelay.Server.Rooms;

/// <summary>A person in a room: their signaling connection, their WebRTC transport and what they publish and receive.</summary>
public sealed class Participant
{
    public Participant(string id, string name, ConsultationRoom room, SignalingConnection connection, WebRtcPeer peer)
    {
        Id = id;
        Name = name;
        Room = room;
        Connection = connection;
        Peer = peer;
    }

    public string Id { get; }
    public string Name { get; }
    public ConsultationRoom Room { get; }
    public SignalingConnection Connection { get; }
    public WebRtcPeer Peer { get; }

    /// <summary>Negotiation state, touched only by this participant's signaling loop (one message at a time).</summary>
    internal Dictionary<string, Producer> PublishedByMid { get; } = new(StringComparer.Ordinal);

    internal Dictionary<string, Consumer> ConsumedByMid { get; } = new(StringComparer.Ordinal);

    /// <summary>RFC 8866 §5.2: a numeric session id, stable for the participant's answers.</summary>
    internal string SdpSessionId { get; } =
        Random.Shared.NextInt64(1, long.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The SDP session version we answer with (RFC 8866 §5.2: incremented on every change).</summary>
    internal ulong AnswerVersion { get; set; } = 1;

    public JsonObject Describe() => new() { ["id"] = Id, ["name"] = Name };
}
