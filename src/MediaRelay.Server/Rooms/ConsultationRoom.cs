using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using MediaRelay.Server.Media;
using MediaRelay.Sfu;
using MediaRelay.Sfu.Speaker;

namespace MediaRelay.Server.Rooms;

public enum JoinStatus
{
    Joined,
    RoomFull,
    NameTaken,
}

/// <summary>
/// One consultation: its participants, the router that forwards between them and the dominant-speaker detector fed
/// by their microphones. Membership changes, producer events and speaker changes are broadcast to the pages.
/// </summary>
public sealed class ConsultationRoom : IRouterListener, IActiveSpeakerListener, IMediaLoopTicker
{
    private readonly ConcurrentDictionary<string, Participant> _participants = new(StringComparer.Ordinal);
    private readonly object _membership = new();

    public ConsultationRoom(string id, int maxParticipants)
    {
        Id = id;
        MaxParticipants = maxParticipants;
        Router = new Router(this);
        Speakers = new ActiveSpeakerDetector(this);
    }

    /// <summary>Who has the floor, from the RFC 6464 audio levels of everyone's microphone.</summary>
    public ActiveSpeakerDetector Speakers { get; }

    public string Id { get; }
    public int MaxParticipants { get; }
    public Router Router { get; }
    public ICollection<Participant> Participants => _participants.Values;
    public bool IsEmpty => _participants.IsEmpty;

    public JoinStatus TryJoin(Participant participant)
    {
        lock (_membership)
        {
            if (_participants.Count >= MaxParticipants)
            {
                return JoinStatus.RoomFull;
            }
            _participants[participant.Id] = participant;
        }
        Broadcast(participant, new JsonObject { ["type"] = "participantJoined", ["participant"] = participant.Describe() });
        return JoinStatus.Joined;
    }

    /// <summary>Removes a participant, closing what they publish (and everyone's consumers of it) and what they receive.</summary>
    public void Leave(Participant participant)
    {
        lock (_membership)
        {
            if (!_participants.TryRemove(participant.Id, out _))
            {
                return;
            }
        }
        foreach (Producer producer in participant.Peer.Media.Producers)
        {
            CloseProducer(producer);
        }
        foreach (Consumer consumer in participant.Peer.Media.Consumers)
        {
            Router.CloseConsumer(consumer);
        }
        participant.Peer.Close("left the room");
        Broadcast(participant, new JsonObject { ["type"] = "participantLeft", ["participantId"] = participant.Id });
    }

    /// <summary>Closes a producer and removes its consumers from the subscribers' tables.</summary>
    public void CloseProducer(Producer producer)
    {
        IReadOnlyList<Consumer> consumers = Router.CloseProducer(producer.Id);
        foreach (Consumer consumer in consumers)
        {
            if (_participants.TryGetValue(consumer.SubscriberId, out Participant? subscriber))
            {
                subscriber.Peer.UpdateMedia(t => t.WithoutConsumer(consumer));
            }
        }
    }

    public static JsonObject DescribeProducer(Producer p) => new()
    {
        ["id"] = p.Id,
        ["participantId"] = p.ParticipantId,
        ["kind"] = p.Kind == MediaKind.Audio ? "audio" : "video",
        ["source"] = p.Source switch
        {
            TrackSource.Microphone => "microphone",
            TrackSource.Screen => "screen",
            _ => "camera",
        },
    };

    /// <summary>The recording manager while this room records (it adds producers that appear meanwhile).</summary>
    public Recording.IRoomRecorder? Recorder { get; set; }

    /// <summary>Tells every page whether the consultation is being recorded.</summary>
    public void BroadcastRecording(bool recording) =>
        BroadcastExcept(null, new JsonObject { ["type"] = "recording", ["active"] = recording });

    public void OnRouterProducerAdded(Producer producer)
    {
        Recorder?.OnProducerAdded(this, producer);
        if (producer.Kind == MediaKind.Audio)
        {
            Speakers.RemoveSpeaker(producer.ParticipantId); // a republished microphone replaces the old one
            producer.AttachSpeakerDetector(Speakers, Speakers.AddSpeaker(producer.ParticipantId));
        }
        BroadcastExcept(producer.ParticipantId, new JsonObject { ["type"] = "producerAdded", ["producer"] = DescribeProducer(producer) });
    }

    public void OnRouterProducerClosed(Producer producer)
    {
        if (producer.Kind == MediaKind.Audio)
        {
            producer.AttachSpeakerDetector(null, 0);
            Speakers.RemoveSpeaker(producer.ParticipantId);
        }
        BroadcastExcept(producer.ParticipantId, new JsonObject { ["type"] = "producerRemoved", ["producerId"] = producer.Id });
    }

    /// <summary>Media loop: the detector decides (and may call <see cref="OnDominantSpeakerChanged"/>).</summary>
    public void OnMediaLoopTick(long timestamp) => Speakers.Tick(timestamp);

    /// <summary>Tells every page who has the floor (the page highlights that tile); queued, never blocks the loop.</summary>
    public void OnDominantSpeakerChanged(string? participantId)
    {
        var message = new JsonObject { ["type"] = "dominantSpeaker", ["participantId"] = participantId };
        foreach (Participant p in _participants.Values)
        {
            p.Connection.Send((JsonObject)message.DeepClone());
        }
    }

    private void Broadcast(Participant except, JsonObject message) => BroadcastExcept(except.Id, message);

    private void BroadcastExcept(string? participantId, JsonObject message)
    {
        foreach (Participant p in _participants.Values)
        {
            if (p.Id != participantId)
            {
                p.Connection.Send((JsonObject)message.DeepClone());
            }
        }
    }
}
