using System.Net;
using System.Net.Sockets;
using MediaRelay.Transport.Stun;

namespace MediaRelay.Transport.Tests.Stun;

public class StunMessageWriterTests
{
    [Fact]
    public void Reproduces_rfc5769_sample_request()
    {
        Span<byte> buffer = stackalloc byte[256];
        var w = new StunMessageWriter(buffer) { PaddingByte = 0x20 };
        w.Begin(StunMessageType.BindingRequest, Rfc5769Vectors.TransactionId);
        w.AddAttribute(StunAttributeType.Software, "STUN test client"u8);
        w.AddPriority(0x6e0001ff);
        w.AddIceControlled(0x932ff9b151263b36);
        w.AddUsername("evtj:h6vY"u8);
        w.AddMessageIntegrity(Rfc5769Vectors.Password);
        w.AddFingerprint();
        Assert.Equal(Convert.ToHexString(Rfc5769Vectors.Request), Convert.ToHexString(w.WrittenSpan));
    }

    [Fact]
    public void Reproduces_rfc5769_ipv4_response_from_an_ip_address()
    {
        Span<byte> buffer = stackalloc byte[256];
        var w = new StunMessageWriter(buffer) { PaddingByte = 0x20 };
        w.Begin(StunMessageType.BindingSuccessResponse, Rfc5769Vectors.TransactionId);
        w.AddAttribute(StunAttributeType.Software, "test vector"u8);
        w.AddXorMappedAddress(IPAddress.Parse("192.0.2.1"), 32853);
        w.AddMessageIntegrity(Rfc5769Vectors.Password);
        w.AddFingerprint();
        Assert.Equal(Convert.ToHexString(Rfc5769Vectors.IPv4Response), Convert.ToHexString(w.WrittenSpan));
    }

    [Fact]
    public void Reproduces_rfc5769_ipv4_response_from_a_socket_address()
    {
        var from = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853).Serialize();
        Span<byte> buffer = stackalloc byte[256];
        var w = new StunMessageWriter(buffer) { PaddingByte = 0x20 };
        w.Begin(StunMessageType.BindingSuccessResponse, Rfc5769Vectors.TransactionId);
        w.AddAttribute(StunAttributeType.Software, "test vector"u8);
        w.AddXorMappedAddress(from);
        w.AddMessageIntegrity(Rfc5769Vectors.Password);
        w.AddFingerprint();
        Assert.Equal(Convert.ToHexString(Rfc5769Vectors.IPv4Response), Convert.ToHexString(w.WrittenSpan));
    }

    [Fact]
    public void Reproduces_rfc5769_ipv6_response_from_both_address_forms()
    {
        var ip = IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677");
        Span<byte> buffer = stackalloc byte[256];
        for (int form = 0; form < 2; form++)
        {
            var w = new StunMessageWriter(buffer) { PaddingByte = 0x20 };
            w.Begin(StunMessageType.BindingSuccessResponse, Rfc5769Vectors.TransactionId);
            w.AddAttribute(StunAttributeType.Software, "test vector"u8);
            if (form == 0)
            {
                w.AddXorMappedAddress(ip, 32853);
            }
            else
            {
                w.AddXorMappedAddress(new IPEndPoint(ip, 32853).Serialize());
            }
            w.AddMessageIntegrity(Rfc5769Vectors.Password);
            w.AddFingerprint();
            Assert.Equal(Convert.ToHexString(Rfc5769Vectors.IPv6Response), Convert.ToHexString(w.WrittenSpan));
        }
    }

    [Fact]
    public void Ipv4_mapped_ipv6_socket_address_is_written_as_ipv4()
    {
        var mapped = new IPEndPoint(IPAddress.Parse("::ffff:192.0.2.1"), 32853).Serialize();
        Assert.Equal(AddressFamily.InterNetworkV6, mapped.Family);
        Span<byte> buffer = stackalloc byte[64];
        var w = new StunMessageWriter(buffer);
        w.Begin(StunMessageType.BindingSuccessResponse, Rfc5769Vectors.TransactionId);
        w.AddXorMappedAddress(mapped);
        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(w.WrittenSpan, out var m));
        Assert.True(m.TryGetXorMappedAddress(out var ep));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853), ep);
    }

    [Fact]
    public void Zero_padding_by_default_and_header_length_tracks_attributes()
    {
        Span<byte> buffer = stackalloc byte[64];
        var w = new StunMessageWriter(buffer);
        w.Begin(StunMessageType.BindingRequest, Rfc5769Vectors.TransactionId);
        w.AddUsername("abcde"u8);
        Assert.Equal(32, w.Length);
        Assert.Equal(12, (buffer[2] << 8) | buffer[3]);
        Assert.Equal(new byte[] { 0, 0, 0 }, buffer.Slice(29, 3).ToArray());
        w.AddUseCandidate();
        Assert.Equal(36, w.Length);
        Assert.Equal(16, (buffer[2] << 8) | buffer[3]);
    }

    [Fact]
    public void Overflow_and_misuse_throw_argument_or_invalid_operation()
    {
        byte[] small = new byte[24];
        Assert.Throws<ArgumentException>(() =>
        {
            var w = new StunMessageWriter(small);
            w.Begin(StunMessageType.BindingRequest, Rfc5769Vectors.TransactionId);
            w.AddIceControlling(1);
        });
        Assert.Throws<InvalidOperationException>(() =>
        {
            var w = new StunMessageWriter(small);
            w.AddUseCandidate();
        });
        Assert.Throws<ArgumentException>(() =>
        {
            var w = new StunMessageWriter(new byte[64]);
            w.Begin(StunMessageType.BindingRequest, new byte[11]);
        });
    }
}
