using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using MediaRelay.Server.Diagnostics;
using MediaRelay.Server.Media;
using MediaRelay.Server.Options;
using Microsoft.Extensions.Options;

namespace MediaRelay.Server.Rooms;

/// <summary>The rooms of this node, created on first join and forgotten when the last participant leaves.</summary>
public sealed partial class RoomRegistry
{
    private readonly ConcurrentDictionary<string, ConsultationRoom> _rooms = new(StringComparer.Ordinal);
    private readonly IOptions<MediaRelayOptions> options;
    private readonly MediaServer media;

    public RoomRegistry(IOptions<MediaRelayOptions> options, MediaServer media)
    {
        this.options = options;
        this.media = media;
        SessionMetrics.Attach(this);
    }

    /// <summary>The rooms now (a snapshot; metrics and operations, not the packet path).</summary>
    public IReadOnlyCollection<ConsultationRoom> Rooms => [.. _rooms.Values];

    public static bool IsValidRoomId(string? id) => id is not null && RoomIdPattern().IsMatch(id);

    public ConsultationRoom GetOrCreate(string roomId)
    {
        ConsultationRoom? room;
        lock (_rooms)
        {
            if (!_rooms.TryGetValue(roomId, out room))
            {
                room = new ConsultationRoom(roomId, options.Value.Rooms.MaxParticipants);
                _rooms[roomId] = room;
                media.AddTicker(room);
            }
        }
        return room;
    }

    /// <summary>
    /// Creates a participant in the room (creating the room if needed) and joins it, atomically with respect to
    /// <see cref="RemoveIfEmpty"/>, so a join never lands in a room that was just forgotten.
    /// </summary>
    public JoinStatus Join(string roomId, Func<ConsultationRoom, Participant> create, out Participant participant)
    {
        lock (_rooms)
        {
            ConsultationRoom room = GetOrCreate(roomId);
            participant = create(room);
            JoinStatus status = room.TryJoin(participant);
            if (status != JoinStatus.Joined)
            {
                RemoveIfEmpty(room);
            }
            return status;
        }
    }

    public bool TryGet(string roomId, out ConsultationRoom room) => _rooms.TryGetValue(roomId, out room!);

    public void RemoveIfEmpty(ConsultationRoom room)
    {
        lock (_rooms)
        {
            if (room.IsEmpty && _rooms.TryRemove(new KeyValuePair<string, ConsultationRoom>(room.Id, room)))
            {
                media.RemoveTicker(room);
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex RoomIdPattern();
}
