namespace MediaRelay.Server.Security;

/// <summary>What a signed join token grants: one participant name in one room until an expiry.</summary>
public sealed record JoinToken(string RoomId, string Name, DateTimeOffset ExpiresAt);

public enum JoinTokenStatus
{
    Valid,
    Malformed,
    BadSignature,
    Expired,
    WrongRoom,
}
