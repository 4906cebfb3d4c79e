using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaRelay.Server.Diagnostics;
using MediaRelay.Server.Media;
using MediaRelay.Server.Negotiation;
using MediaRelay.Server.Rooms;
using MediaRelay.Server.Security;
using Microsoft.Extensions.Logging;

namespace MediaRelay.Server.Signaling;

/// <summary>
/// The signaling conversation with one page over a WebSocket (JSON messages with a "type"):
/// join {room, token} → joined; offer {sdp, subscriptions{mid: producerId}, sources{mid: source}} → answer;
/// consent → consentRecorded (to being recorded); leave. The server also pushes recording {active}. The server pushes participantJoined/Left and producerAdded/Removed. Bad messages get an error reply
/// and are counted; the connection and the call go on.
/// </summary>
public sealed partial class SignalingSession(
    SignalingConnection connection,
    JoinTokenService tokens,
    RoomRegistry rooms,
    MediaServer media,
    OfferAnswerer answerer,
    Recording.RecordingManager recordings,
    ILogger<SignalingSession> logger)
{
    private Participant? _participant;

    public async Task RunAsync(CancellationToken cancel)
    {
        Task writer = connection.RunWriterAsync(cancel);
        byte[] buffer = new byte[SignalingConnection.MaxMessageBytes];
        try
        {
            while (true)
            {
                string? text = await connection.ReceiveAsync(buffer, cancel);
                if (text is null)
                {
                    break;
                }
                if (!Handle(text))
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // page went away
        }
        finally
        {
            LeaveRoom();
            // Flush what is queued (a refusal's error reply above all) before the close frame.
            connection.Complete();
            await Task.WhenAny(writer, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None));
            await connection.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye");
        }
    }

    /// <summary>Handles one message; false ends the conversation.</summary>
    private bool Handle(string text)
    {
        JsonObject? message;
        try
        {
            message = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 16 }) as JsonObject;
        }
        catch (JsonException)
        {
            message = null;
        }
        string? type = message?["type"] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
        if (message is null || type is null)
        {
            return Refuse("bad-json", "Messages must be JSON objects with a string \"type\".");
        }
        try
        {
            return type switch
            {
                "join" => Join(message),
                "offer" => Offer(message),
                "layout" => Layout(message),
                "consent" => Consent(),
                "leave" => false,
                _ => Refuse("unknown-type", $"Unknown message type '{Truncate(type)}'."),
            };
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException)
        {
            return Refuse("bad-message", Truncate(e.Message));
        }
    }

    private bool Join(JsonObject message)
    {
        if (_participant is not null)
        {
            return Refuse("already-joined", "This connection has joined a room already.");
        }
        string? roomId = (string?)message["room"];
        if (!RoomRegistry.IsValidRoomId(roomId))
        {
            connection.SendError("bad-room", "Room ids are 1-64 letters, digits, '-' or '_'.");
            MediaMetrics.SignalingError("bad-room");
            return false;
        }
        JoinTokenStatus status = tokens.Validate((string?)message["token"], roomId, out JoinToken? token);
        if (status != JoinTokenStatus.Valid)
        {
            string code = status switch
            {
                JoinTokenStatus.Expired => "token-expired",
                JoinTokenStatus.WrongRoom => "token-wrong-room",
                _ => "token-invalid",
            };
            MediaMetrics.SignalingError(code);
            LogRefusedJoin(logger, roomId!, code);
            connection.SendError(code, "The join link is not valid for this room; ask for a new link.");
            return false;
        }

        string participantId = Guid.NewGuid().ToString("N")[..12];
        WebRtcPeer peer = media.CreatePeer(participantId);
        JoinStatus joined = rooms.Join(roomId!, r => new Participant(participantId, token!.Name, r, connection, peer),
            out Participant participant);
        ConsultationRoom room = participant.Room;
        if (joined == JoinStatus.RoomFull)
        {
            peer.Close("room full");
            MediaMetrics.SignalingError("room-full");
            connection.SendError("room-full", $"This consultation is full ({room.MaxParticipants} participants).");
            return false;
        }
        _participant = participant;
        peer.Closed = (_, reason) =>
        {
            if (reason != "left the room")
            {
                connection.SendError("transport-closed", reason);
                LeaveRoom();
            }
        };

        var others = new JsonArray();
        var producers = new JsonArray();
        foreach (Participant p in room.Participants)
        {
            if (p.Id != participantId)
            {
                others.Add(p.Describe());
            }
        }
        foreach (var producer in room.Router.Producers)
        {
            producers.Add(ConsultationRoom.DescribeProducer(producer));
        }
        connection.Send(new JsonObject
        {
            ["type"] = "joined",
            ["participantId"] = participantId,
            ["name"] = participant.Name,
            ["room"] = room.Id,
            ["participants"] = others,
            ["producers"] = producers,
            ["dominantSpeaker"] = room.Speakers.DominantSpeaker,
            ["recording"] = recordings.IsRecording(room.Id),
        });
        LogJoined(logger, participant.Name, room.Id, participantId);
        return true;
    }

    private bool Offer(JsonObject message)
    {
        if (_participant is null)
        {
            return Refuse("not-joined", "Join a room before sending an offer.");
        }
        string? sdp = (string?)message["sdp"];
        if (string.IsNullOrEmpty(sdp))
        {
            return Refuse("bad-sdp", "An offer needs an \"sdp\" string.");
        }
        var subscriptions = ReadStringMap(message["subscriptions"]);
        var sources = ReadStringMap(message["sources"]);
        OfferResult result = answerer.Answer(_participant, sdp, subscriptions, sources);
        if (result.Error is not null)
        {
            return Refuse(result.ErrorCode ?? "bad-sdp", result.Error);
        }
        // Commit first: a client that hears the answer may subscribe to the producers it announced at once, and the
        // router must know them by then (the load tool's subscribers raced the old order and named unknown producers).
        answerer.Commit(_participant, result);
        connection.Send(new JsonObject { ["type"] = "answer", ["sdp"] = result.AnswerSdp });
        return true;
    }

    /// <summary>
    /// {"type":"layout","producerId":ID,"width":W}: the page shows that video W device pixels wide, so the
    /// consumer can pick the simulcast layer that fits (0 = as large as available).
    /// </summary>
    private bool Layout(JsonObject message)
    {
        if (_participant is null)
        {
            return Refuse("not-joined", "Join a room before sending a layout.");
        }
        string? producerId = message["producerId"] is JsonValue p && p.TryGetValue(out string? id) ? id : null;
        int width = message["width"] is JsonValue w && w.TryGetValue(out int value) ? value : -1;
        if (producerId is null || width is < 0 or > 16384)
        {
            return Refuse("bad-layout", "A layout needs a producerId and a width between 0 and 16384.");
        }
        Sfu.Consumer? consumer = _participant.Peer.Media.FindConsumerByProducer(producerId);
        if (consumer is null)
        {
            return Refuse("unknown-producer", "This page does not receive that producer.");
        }
        consumer.SetPreferredWidth(width);
        return true;
    }

    /// <summary>{"type":"consent"}: this participant agrees to the consultation being recorded.</summary>
    private bool Consent()
    {
        if (_participant is null)
        {
            return Refuse("not-joined", "Join a room before giving consent.");
        }
        recordings.RecordConsent(_participant.Room, _participant, _participant.Id, null);
        connection.Send(new JsonObject { ["type"] = "consentRecorded" });
        return true;
    }

    private static Dictionary<string, string> ReadStringMap(JsonNode? node)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                if (value is JsonValue jv && jv.TryGetValue(out string? s) && map.Count < 256)
                {
                    map[key] = s;
                }
            }
        }
        return map;
    }

    private bool Refuse(string code, string text)
    {
        MediaMetrics.SignalingError(code);
        LogRefused(logger, code, text);
        connection.SendError(code, text);
        return true;
    }

    private void LeaveRoom()
    {
        Participant? participant = Interlocked.Exchange(ref _participant, null);
        if (participant is null)
        {
            return;
        }
        participant.Room.Leave(participant);
        rooms.RemoveIfEmpty(participant.Room);
        LogLeft(logger, participant.Name, participant.Room.Id);
    }

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..80];

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "{Name} joined room {Room} as {Participant}")]
    private static partial void LogJoined(ILogger logger, string name, string room, string participant);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "{Name} left room {Room}")]
    private static partial void LogLeft(ILogger logger, string name, string room);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Refused join to room {Room}: {Code}")]
    private static partial void LogRefusedJoin(ILogger logger, string room, string code);

    [LoggerMessage(EventId = 303, Level = LogLevel.Debug, Message = "Refused signaling message: {Code} {Text}")]
    private static partial void LogRefused(ILogger logger, string code, string text);
}
