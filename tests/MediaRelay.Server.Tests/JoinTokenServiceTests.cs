using System.Buffers.Text;
using System.Text;
using MediaRelay.Server.Security;

namespace MediaRelay.Server.Tests;

public class JoinTokenServiceTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private readonly ManualTimeProvider _time = new(Start);
    private readonly JoinTokenService _tokens;

    public JoinTokenServiceTests() => _tokens = new JoinTokenService(Key, _time);

    [Fact]
    public void Issued_token_validates_for_its_room()
    {
        string token = _tokens.Issue("room-1", "Dr X", TimeSpan.FromHours(1));

        Assert.Equal(JoinTokenStatus.Valid, _tokens.Validate(token, "room-1", out JoinToken? result));
        Assert.Equal(new JoinToken("room-1", "Dr X", Start.AddHours(1)), result);
        Assert.Equal(JoinTokenStatus.Valid, _tokens.Validate(token, null, out result));
        Assert.Equal("room-1", result!.RoomId);
    }

    [Fact]
    public void Token_is_url_safe()
    {
        string token = _tokens.Issue("r", "Ünïcødé name with /+= signs", TimeSpan.FromHours(1));
        Assert.Equal(token, Uri.EscapeDataString(token));
    }

    [Fact]
    public void Token_expires_at_its_lifetime()
    {
        string token = _tokens.Issue("room-1", "Dr X", TimeSpan.FromMinutes(10));

        _time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.Equal(JoinTokenStatus.Valid, _tokens.Validate(token, "room-1", out _));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(JoinTokenStatus.Expired, _tokens.Validate(token, "room-1", out JoinToken? result));
        Assert.Null(result);
    }

    [Fact]
    public void Token_for_another_room_is_refused()
    {
        string token = _tokens.Issue("room-1", "Dr X", TimeSpan.FromHours(1));
        Assert.Equal(JoinTokenStatus.WrongRoom, _tokens.Validate(token, "room-2", out JoinToken? result));
        Assert.Null(result);
        Assert.Equal(JoinTokenStatus.WrongRoom, _tokens.Validate(token, "ROOM-1", out _));
    }

    [Fact]
    public void Tampered_payload_fails_the_signature()
    {
        string token = _tokens.Issue("room-1", "Patient", TimeSpan.FromHours(1));
        string signature = token[(token.IndexOf('.') + 1)..];
        string forged = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            "{\"room\":\"room-1\",\"name\":\"Doctor\",\"exp\":" + Start.AddYears(1).ToUnixTimeSeconds() + "}"));

        Assert.Equal(JoinTokenStatus.BadSignature, _tokens.Validate(forged + "." + signature, "room-1", out JoinToken? result));
        Assert.Null(result);
        Assert.Equal(JoinTokenStatus.BadSignature, _tokens.Validate(FlipChar(token, 3), "room-1", out _));
    }

    [Fact]
    public void Tampered_signature_is_refused()
    {
        string token = _tokens.Issue("room-1", "Dr X", TimeSpan.FromHours(1));
        int dot = token.IndexOf('.');

        Assert.NotEqual(JoinTokenStatus.Valid, _tokens.Validate(FlipChar(token, dot + 2), "room-1", out _));
        Assert.Equal(JoinTokenStatus.BadSignature, _tokens.Validate(token[..dot] + ".AAAA", "room-1", out _));
        Assert.Equal(JoinTokenStatus.BadSignature, _tokens.Validate(token[..^4], "room-1", out _));
    }

    [Fact]
    public void Token_signed_with_another_key_is_refused()
    {
        var other = new JoinTokenService(Enumerable.Repeat((byte)7, 32).ToArray(), _time);
        string token = other.Issue("room-1", "Dr X", TimeSpan.FromHours(1));
        Assert.Equal(JoinTokenStatus.BadSignature, _tokens.Validate(token, "room-1", out _));
    }

    public static TheoryData<string?> MalformedTokens() => new()
    {
        null,
        "",
        "nodot",
        ".",
        "abc.",
        ".abc",
        new string('a', 3000),
        new string('a', 1500) + "." + new string('b', 1500),
    };

    [Theory]
    [MemberData(nameof(MalformedTokens))]
    public void Malformed_tokens_are_refused_without_throwing(string? token)
    {
        Assert.Equal(JoinTokenStatus.Malformed, _tokens.Validate(token, "room-1", out JoinToken? result));
        Assert.Null(result);
    }

    [Theory]
    [InlineData("abc.!!!not-base64!!!")]
    [InlineData("abc.====")]
    [InlineData("abc.a")]
    [InlineData("abc.\u00e9\u00e9\u00e9\u00e9")]
    public void Bad_base64_signature_is_refused_without_throwing(string token)
    {
        // Base64Url decoding is lenient about some of these, so they surface as BadSignature rather than Malformed;
        // both map to "token-invalid" in signaling.
        JoinTokenStatus status = _tokens.Validate(token, "room-1", out JoinToken? result);
        Assert.True(status is JoinTokenStatus.Malformed or JoinTokenStatus.BadSignature, status.ToString());
        Assert.Null(result);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"room\":\"room-1\"}")]
    [InlineData("{\"room\":\"\",\"name\":\"x\",\"exp\":99999999999}")]
    [InlineData("{\"room\":\"room-1\",\"name\":\"x\",\"exp\":\"soon\"}")]
    [InlineData("[]")]
    public void Correctly_signed_but_malformed_payload_is_refused(string json)
    {
        // A holder of the key (or a bug in Issue) must still not crash validation.
        string body = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
        string signature = Base64Url.EncodeToString(System.Security.Cryptography.HMACSHA256.HashData(Key, Encoding.ASCII.GetBytes(body)));
        Assert.Equal(JoinTokenStatus.Malformed, _tokens.Validate(body + "." + signature, "room-1", out _));
    }

    [Fact]
    public void Random_garbage_never_throws_or_validates()
    {
        var random = new Random(1234);
        string token = _tokens.Issue("room-1", "Dr X", TimeSpan.FromHours(1));
        const string alphabet = "ABCabc019-_.=+/ \u00e9";
        for (int i = 0; i < 2000; i++)
        {
            char[] chars = token.ToCharArray();
            int edits = random.Next(1, 4);
            for (int e = 0; e < edits; e++)
            {
                chars[random.Next(chars.Length)] = alphabet[random.Next(alphabet.Length)];
            }
            string mutated = new(chars, 0, random.Next(chars.Length + 1));
            if (mutated == token)
            {
                continue;
            }
            Assert.NotEqual(JoinTokenStatus.Valid, _tokens.Validate(mutated, "room-1", out _));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(31)]
    public void Short_keys_are_refused(int length)
    {
        Assert.Throws<ArgumentException>(() => new JoinTokenService(new byte[length], _time));
    }

    private static string FlipChar(string s, int index)
    {
        char[] chars = s.ToCharArray();
        chars[index] = chars[index] == 'A' ? 'B' : 'A';
        return new string(chars);
    }
}
