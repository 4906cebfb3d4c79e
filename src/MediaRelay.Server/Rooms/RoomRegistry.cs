using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using MediaRelay.Server.Diagnostics;
using MediaRelay.Server.Options;
using Microsoft.Extensions.Options;

namespace MediaRelay.Server.Rooms;

/// <summary>The rooms of this node, created on first join and forgotten when the last participant leaves.</summary>
public sealed partial class RoomRegistry(IOptions<MediaRelayOptions> options)
{
    private readonly ConcurrentDictionary<string, ConsultationRoom> _rooms = new(StringComparer.Ordinal);

    public static bool IsValidRoomId(string? id) => id is not null && RoomIdPattern().IsMatch(id);

    public ConsultationRoom GetOrCreate(string roomId)
    {
        ConsultationRoom room = _rooms.GetOrAdd(roomId, id => new ConsultationRoom(id, options.Value.Rooms.MaxParticipants));
        MediaMetrics.Rooms.Set(_rooms.Count);
        return room;
    }

    public bool TryGet(string roomId, out ConsultationRoom room) => _rooms.TryGetValue(roomId, out room!);

    public void RemoveIfEmpty(ConsultationRoom room)
    {
        if (room.IsEmpty)
        {
            _rooms.TryRemove(new KeyValuePair<string, ConsultationRoom>(room.Id, room));
        }
        MediaMetrics.Rooms.Set(_rooms.Count);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex RoomIdPattern();
}
