using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MediaRelay.Transport.Udp;

namespace MediaRelay.Transport.Tests.Udp;

public class SocketAddressComparerTests
{
    private static readonly SocketAddressComparer Comparer = SocketAddressComparer.Instance;

    /// <summary>An IPv4 address as a receive loop leaves it: an IPv6-sized (28-byte) buffer, Size 16, stale tail bytes.</summary>
    private static SocketAddress ReceiveBuffer(IPEndPoint endpoint)
    {
        var buffer = new SocketAddress(AddressFamily.InterNetworkV6, SocketAddress.GetMaximumAddressSize(AddressFamily.InterNetworkV6));
        buffer.Buffer.Span.Fill(0xAB);
        SocketAddress v4 = endpoint.Serialize();
        v4.Buffer.Span[..v4.Size].CopyTo(buffer.Buffer.Span);
        buffer.Size = v4.Size;
        return buffer;
    }

    [Fact]
    public void Receive_buffer_equals_trimmed_copy_of_the_same_endpoint()
    {
        var endpoint = new IPEndPoint(IPAddress.Parse("192.0.2.10"), 50000);
        SocketAddress received = ReceiveBuffer(endpoint);
        SocketAddress copy = endpoint.Serialize();

        Assert.Equal(28, received.Buffer.Length);
        Assert.Equal(16, copy.Size);
        Assert.Equal(AddressFamily.InterNetwork, received.Family);
        Assert.True(Comparer.Equals(received, copy));
        Assert.True(Comparer.Equals(copy, received));
        Assert.Equal(Comparer.GetHashCode(copy), Comparer.GetHashCode(received));
    }

    [Fact]
    public void Different_ports_or_addresses_differ()
    {
        SocketAddress a = ReceiveBuffer(new IPEndPoint(IPAddress.Parse("192.0.2.10"), 50000));
        Assert.False(Comparer.Equals(a, new IPEndPoint(IPAddress.Parse("192.0.2.10"), 50001).Serialize()));
        Assert.False(Comparer.Equals(a, new IPEndPoint(IPAddress.Parse("192.0.2.11"), 50000).Serialize()));
        Assert.False(Comparer.Equals(a, new IPEndPoint(IPAddress.Parse("::ffff:192.0.2.10"), 50000).Serialize()));
        Assert.False(Comparer.Equals(a, null));
        Assert.False(Comparer.Equals(null, a));
        Assert.True(Comparer.Equals(null, null));
        Assert.True(Comparer.Equals(a, a));
    }

    [Fact]
    public void IPv6_endpoints_compare_by_value()
    {
        var endpoint = new IPEndPoint(IPAddress.Parse("2001:db8::1"), 443);
        Assert.True(Comparer.Equals(endpoint.Serialize(), endpoint.Serialize()));
        Assert.Equal(Comparer.GetHashCode(endpoint.Serialize()), Comparer.GetHashCode(endpoint.Serialize()));
        Assert.False(Comparer.Equals(endpoint.Serialize(), new IPEndPoint(IPAddress.Parse("2001:db8::2"), 443).Serialize()));
    }

    [Fact]
    public void Dictionary_keyed_by_copies_finds_the_receive_buffer()
    {
        var peers = new ConcurrentDictionary<SocketAddress, string>(Comparer);
        for (int port = 40000; port < 40010; port++)
        {
            peers[new IPEndPoint(IPAddress.Loopback, port).Serialize()] = "peer" + port;
        }

        Assert.True(peers.TryGetValue(ReceiveBuffer(new IPEndPoint(IPAddress.Loopback, 40007)), out string? found));
        Assert.Equal("peer40007", found);
        Assert.False(peers.TryGetValue(ReceiveBuffer(new IPEndPoint(IPAddress.Loopback, 40010)), out _));
    }
}
