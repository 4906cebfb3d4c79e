namespace MediaRelay.Sdp;

/// <summary>
/// RFC 8866 §5.2 origin:
/// <c>o=&lt;username&gt; &lt;sess-id&gt; &lt;sess-version&gt; &lt;nettype&gt; &lt;addrtype&gt; &lt;unicast-address&gt;</c>.
/// </summary>
public sealed class SdpOrigin
{
    /// <summary>"-" when the originating host has no user ids.</summary>
    public string Username { get; set; } = "-";

    /// <summary>Numeric string; kept as text because some peers exceed 64 bits (NTP-derived ids).</summary>
    public string SessionId { get; set; } = "0";

    /// <summary>Incremented on every modification of the session description (RFC 3264 §8).</summary>
    public ulong SessionVersion { get; set; }

    public string NetType { get; set; } = "IN";

    public string AddressType { get; set; } = "IP4";

    public string Address { get; set; } = "127.0.0.1";

    internal static bool TryParse(string value, out SdpOrigin? origin, out string? error)
    {
        origin = null;
        string[] f = SdpText.SplitFields(value);
        if (f.Length != 6)
        {
            error = $"o= needs 6 fields (username sess-id sess-version nettype addrtype address), got {f.Length}";
            return false;
        }

        if (!IsDigits(f[1]))
        {
            error = $"o= session id '{f[1]}' is not numeric";
            return false;
        }

        if (!SdpText.TryParseUInt64(f[2], out ulong version))
        {
            error = $"o= session version '{f[2]}' is not a 64-bit unsigned number";
            return false;
        }

        origin = new SdpOrigin
        {
            Username = f[0], SessionId = f[1], SessionVersion = version,
            NetType = f[3], AddressType = f[4], Address = f[5],
        };
        error = null;
        return true;
    }

    private static bool IsDigits(string s)
    {
        foreach (char c in s)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return s.Length > 0;
    }

    /// <summary>The line content after "o=".</summary>
    public override string ToString() =>
        $"{Username} {SessionId} {SdpText.Format(SessionVersion)} {NetType} {AddressType} {Address}";
}
