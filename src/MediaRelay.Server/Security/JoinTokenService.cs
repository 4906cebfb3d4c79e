using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MediaRelay.Server.Security;

/// <summary>
/// Issues and validates join tokens: <c>base64url(json) "." base64url(HMAC-SHA256(key, base64url(json)))</c>.
/// The signature covers the encoded payload, so nothing is re-serialised before checking.
/// </summary>
public sealed class JoinTokenService
{
    private readonly byte[] _key;
    private readonly TimeProvider _time;

    public JoinTokenService(byte[] key, TimeProvider time)
    {
        if (key.Length < 32)
        {
            throw new ArgumentException("The join-token signing key must be at least 256 bits.", nameof(key));
        }
        _key = key;
        _time = time;
    }

    public string Issue(string roomId, string name, TimeSpan lifetime)
    {
        var payload = new TokenPayload(roomId, name, _time.GetUtcNow().Add(lifetime).ToUnixTimeSeconds());
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(payload, TokenJsonContext.Default.TokenPayload);
        string body = Base64Url.EncodeToString(json);
        return body + "." + Sign(body);
    }

    public JoinTokenStatus Validate(string? token, string? expectedRoomId, out JoinToken? result)
    {
        result = null;
        if (string.IsNullOrEmpty(token) || token.Length > 2048)
        {
            return JoinTokenStatus.Malformed;
        }
        int dot = token.IndexOf('.');
        if (dot <= 0 || dot == token.Length - 1)
        {
            return JoinTokenStatus.Malformed;
        }
        string body = token[..dot];
        byte[] given;
        try
        {
            given = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            return JoinTokenStatus.BadSignature; // a signature that does not even decode is a wrong signature
        }
        byte[] expected = HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(body));
        if (!CryptographicOperations.FixedTimeEquals(given, expected))
        {
            return JoinTokenStatus.BadSignature;
        }
        TokenPayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(body), TokenJsonContext.Default.TokenPayload);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return JoinTokenStatus.Malformed;
        }
        if (payload is null || string.IsNullOrEmpty(payload.Room) || string.IsNullOrEmpty(payload.Name))
        {
            return JoinTokenStatus.Malformed;
        }
        var expires = DateTimeOffset.FromUnixTimeSeconds(payload.Exp);
        if (expires <= _time.GetUtcNow())
        {
            return JoinTokenStatus.Expired;
        }
        if (expectedRoomId is not null && !string.Equals(expectedRoomId, payload.Room, StringComparison.Ordinal))
        {
            return JoinTokenStatus.WrongRoom;
        }
        result = new JoinToken(payload.Room, payload.Name, expires);
        return JoinTokenStatus.Valid;
    }

    private string Sign(string body) => Base64Url.EncodeToString(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(body)));

    internal sealed record TokenPayload(
        [property: JsonPropertyName("room")] string Room,
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("exp")] long Exp);
}

[JsonSerializable(typeof(JoinTokenService.TokenPayload))]
internal sealed partial class TokenJsonContext : JsonSerializerContext;
