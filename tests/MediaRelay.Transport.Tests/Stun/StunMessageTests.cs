using System.Net;
using System.Text;
using MediaRelay.Transport.Stun;

namespace MediaRelay.Transport.Tests.Stun;

public class StunMessageTests
{
    [Fact]
    public void Crc32_matches_the_standard_check_value()
        => Assert.Equal(0xCBF43926u, StunCrc32.Compute("123456789"u8));

    [Fact]
    public void Rfc5769_request_parses_and_verifies()
    {
        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(Rfc5769Vectors.Request, out var m));
        Assert.Equal(StunMessageType.BindingRequest, m.MessageType);
        Assert.Equal(StunMessageType.BindingMethod, m.Method);
        Assert.Equal(StunClass.Request, m.Class);
        Assert.Equal(Rfc5769Vectors.TransactionId, m.TransactionId.ToArray());
        Assert.Equal("evtj:h6vY", Encoding.ASCII.GetString(m.Username));
        Assert.True(m.TryGetAttribute(StunAttributeType.Software, out var software));
        Assert.Equal("STUN test client", Encoding.ASCII.GetString(software));
        Assert.True(m.TryGetPriority(out uint priority));
        Assert.Equal(0x6e0001ffu, priority);
        Assert.True(m.TryGetIceControlled(out ulong tieBreaker));
        Assert.Equal(0x932ff9b151263b36ul, tieBreaker);
        Assert.False(m.TryGetIceControlling(out _));
        Assert.False(m.HasUseCandidate);
        Assert.True(m.HasMessageIntegrity);
        Assert.True(m.VerifyMessageIntegrity(Rfc5769Vectors.Password));
        Assert.False(m.VerifyMessageIntegrity("VOkJxbRl1RmTxUk/WvJxBT"u8));
        Assert.True(m.VerifyFingerprint());
        Assert.Equal(0, m.ErrorCode);
    }

    [Fact]
    public void Rfc5769_ipv4_response_parses_and_verifies()
    {
        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(Rfc5769Vectors.IPv4Response, out var m));
        Assert.Equal(StunClass.SuccessResponse, m.Class);
        Assert.Equal(StunMessageType.BindingMethod, m.Method);
        Assert.True(m.VerifyMessageIntegrity(Rfc5769Vectors.Password));
        Assert.True(m.VerifyFingerprint());
        Assert.True(m.TryGetXorMappedAddress(out var ep));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853), ep);
    }

    [Fact]
    public void Rfc5769_ipv6_response_parses_and_verifies()
    {
        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(Rfc5769Vectors.IPv6Response, out var m));
        Assert.True(m.VerifyMessageIntegrity(Rfc5769Vectors.Password));
        Assert.True(m.VerifyFingerprint());
        Assert.True(m.TryGetXorMappedAddress(out var ep));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853), ep);
    }

    [Fact]
    public void A_flipped_bit_breaks_integrity_and_fingerprint()
    {
        byte[] copy = (byte[])Rfc5769Vectors.Request.Clone();
        copy[30] ^= 0x01; // inside SOFTWARE
        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(copy, out var m));
        Assert.False(m.VerifyMessageIntegrity(Rfc5769Vectors.Password));
        Assert.False(m.VerifyFingerprint());
    }

    [Fact]
    public void Trailing_bytes_after_the_declared_length_are_ignored()
    {
        byte[] padded = [.. Rfc5769Vectors.IPv4Response, 1, 2, 3, 4];
        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(padded, out var m));
        Assert.Equal(Rfc5769Vectors.IPv4Response.Length, m.Length);
        Assert.True(m.VerifyFingerprint());
    }

    [Theory]
    [InlineData(0, StunParseStatus.TooShort)]
    [InlineData(19, StunParseStatus.TooShort)]
    public void Short_input_is_rejected(int length, StunParseStatus expected)
        => Assert.Equal(expected, StunMessage.TryParse(Rfc5769Vectors.Request.AsSpan(0, length), out _));

    [Fact]
    public void Header_checks_report_their_reason()
    {
        byte[] m = (byte[])Rfc5769Vectors.Request.Clone();
        m[0] = 0x80;
        Assert.Equal(StunParseStatus.NotStun, StunMessage.TryParse(m, out _));

        m = (byte[])Rfc5769Vectors.Request.Clone();
        m[5] = 0x13;
        Assert.Equal(StunParseStatus.BadMagicCookie, StunMessage.TryParse(m, out _));

        m = (byte[])Rfc5769Vectors.Request.Clone();
        m[3] = 0x57;
        Assert.Equal(StunParseStatus.LengthNotMultipleOfFour, StunMessage.TryParse(m, out _));

        Assert.Equal(StunParseStatus.LengthExceedsDatagram,
            StunMessage.TryParse(Rfc5769Vectors.Request.AsSpan(0, Rfc5769Vectors.Request.Length - 4), out _));

        m = (byte[])Rfc5769Vectors.Request.Clone();
        m[23] = 0xF0; // SOFTWARE length 0xF0 runs past the end
        Assert.Equal(StunParseStatus.AttributeOutOfBounds, StunMessage.TryParse(m, out _));
    }

    [Fact]
    public void Attribute_after_fingerprint_is_rejected()
    {
        Span<byte> buffer = stackalloc byte[128];
        var w = new StunMessageWriter(buffer);
        w.Begin(StunMessageType.BindingRequest, Rfc5769Vectors.TransactionId);
        w.AddFingerprint();
        w.AddPriority(1);
        Assert.Equal(StunParseStatus.AttributeAfterFingerprint, StunMessage.TryParse(w.WrittenSpan, out _));
    }

    [Fact]
    public void Attributes_after_message_integrity_are_ignored()
    {
        Span<byte> buffer = stackalloc byte[128];
        var w = new StunMessageWriter(buffer);
        w.Begin(StunMessageType.BindingRequest, Rfc5769Vectors.TransactionId);
        w.AddUsername("a:b"u8);
        w.AddMessageIntegrity("key"u8);
        w.AddUseCandidate();
        w.AddFingerprint();
        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(w.WrittenSpan, out var m));
        Assert.False(m.HasUseCandidate);
        Assert.Equal("a:b"u8.ToArray(), m.Username.ToArray());
        Assert.True(m.VerifyMessageIntegrity("key"u8));
        Assert.True(m.VerifyFingerprint());
    }

    [Fact]
    public void Error_code_round_trips()
    {
        Span<byte> buffer = stackalloc byte[128];
        var w = new StunMessageWriter(buffer);
        w.Begin(StunMessageType.BindingErrorResponse, Rfc5769Vectors.TransactionId);
        w.AddErrorCode(487, "Role Conflict"u8);
        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(w.WrittenSpan, out var m));
        Assert.Equal(StunClass.ErrorResponse, m.Class);
        Assert.True(m.TryGetErrorCode(out int code, out var reason));
        Assert.Equal(487, code);
        Assert.Equal("Role Conflict", Encoding.ASCII.GetString(reason));
        Assert.Equal(487, m.ErrorCode);
    }

    [Theory]
    [InlineData(StunMessageType.BindingRequest, StunClass.Request)]
    [InlineData(StunMessageType.BindingIndication, StunClass.Indication)]
    [InlineData(StunMessageType.BindingSuccessResponse, StunClass.SuccessResponse)]
    [InlineData(StunMessageType.BindingErrorResponse, StunClass.ErrorResponse)]
    public void Message_type_bits_compose_and_split(ushort type, StunClass stunClass)
    {
        Assert.Equal(type, StunMessageType.Compose(StunMessageType.BindingMethod, stunClass));
        Assert.Equal(stunClass, StunMessageType.GetClass(type));
        Assert.Equal(StunMessageType.BindingMethod, StunMessageType.GetMethod(type));
        // Allocate (method 0x003, RFC 8656) request and a high method survive the interleaving.
        Assert.Equal(0xFFF, StunMessageType.GetMethod(StunMessageType.Compose(0xFFF, stunClass)));
        Assert.Equal(0x003, StunMessageType.GetMethod(StunMessageType.Compose(0x003, stunClass)));
    }
}
