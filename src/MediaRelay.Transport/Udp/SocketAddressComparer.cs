using System.Net;

namespace MediaRelay.Transport.Udp;

/// <summary>
/// Compares socket addresses by their first <see cref="SocketAddress.Size"/> bytes. The BCL's own equality looks at
/// the whole backing buffer, so a reused receive address (sized for IPv6) never equals a trimmed IPv4 copy.
/// </summary>
public sealed class SocketAddressComparer : IEqualityComparer<SocketAddress>
{
    public static readonly SocketAddressComparer Instance = new();

    public bool Equals(SocketAddress? x, SocketAddress? y)
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }
        if (x is null || y is null || x.Size != y.Size)
        {
            return false;
        }
        return x.Buffer.Span[..x.Size].SequenceEqual(y.Buffer.Span[..y.Size]);
    }

    public int GetHashCode(SocketAddress address)
    {
        var hash = new HashCode();
        hash.AddBytes(address.Buffer.Span[..address.Size]);
        return hash.ToHashCode();
    }
}
