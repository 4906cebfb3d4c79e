namespace MediaRelay.Sdp;

/// <summary>
/// RFC 8866 §5.7 connection data: <c>c=&lt;nettype&gt; &lt;addrtype&gt; &lt;connection-address&gt;</c>.
/// A multicast address keeps its "/ttl[/count]" suffix inside <see cref="Address"/>.
/// </summary>
public sealed record SdpConnection(string NetType, string AddressType, string Address)
{
    /// <summary>"IN IP4 address" for an IPv4 address, "IN IP6 address" otherwise.</summary>
    public static SdpConnection ForAddress(string address) =>
        new("IN", address.Contains(':', StringComparison.Ordinal) ? "IP6" : "IP4", address);

    internal static bool TryParse(string value, out SdpConnection? connection)
    {
        string[] f = SdpText.SplitFields(value);
        connection = f.Length == 3 ? new SdpConnection(f[0], f[1], f[2]) : null;
        return connection is not null;
    }

    /// <summary>The line content after "c=".</summary>
    public override string ToString() => $"{NetType} {AddressType} {Address}";
}
