using System.Diagnostics.CodeAnalysis;

namespace MediaRelay.Sdp;

/// <summary>
/// RFC 8839 §5.1 ICE candidate:
/// <c>a=candidate:&lt;foundation&gt; &lt;component-id&gt; &lt;transport&gt; &lt;priority&gt; &lt;connection-address&gt;
/// &lt;port&gt; typ &lt;cand-type&gt; [raddr &lt;addr&gt;] [rport &lt;port&gt;] *(&lt;ext-name&gt; &lt;ext-value&gt;)</c>.
/// The address may be an mDNS name ("abc.local").
/// </summary>
public sealed class SdpCandidate
{
    public string Foundation { get; set; } = "1";

    /// <summary>1 = RTP, 2 = RTCP (only without rtcp-mux).</summary>
    public int Component { get; set; } = 1;

    /// <summary>"udp" or "tcp" (compare case-insensitively).</summary>
    public string Transport { get; set; } = "udp";

    public uint Priority { get; set; }

    public string Address { get; set; } = string.Empty;

    public int Port { get; set; }

    /// <summary>"host", "srflx", "prflx" or "relay".</summary>
    public string Type { get; set; } = "host";

    public string? RelatedAddress { get; set; }

    public int? RelatedPort { get; set; }

    /// <summary>Extension name/value pairs in order ("generation 0", "tcptype passive", "ufrag abcd").</summary>
    public List<KeyValuePair<string, string>> Extensions { get; } = [];

    /// <summary>Value of the first extension called <paramref name="name"/>.</summary>
    public string? GetExtension(string name)
    {
        foreach (KeyValuePair<string, string> e in Extensions)
        {
            if (e.Key == name)
            {
                return e.Value;
            }
        }

        return null;
    }

    /// <summary>Parses an attribute value; a leading "candidate:" (trickle ICE JSON form) is accepted too.</summary>
    public static bool TryParse(string value, [NotNullWhen(true)] out SdpCandidate? candidate)
    {
        candidate = null;
        if (value.StartsWith("candidate:", StringComparison.Ordinal))
        {
            value = value["candidate:".Length..];
        }

        string[] f = SdpText.SplitFields(value);
        if (f.Length < 8 || f[6] != "typ" || (f.Length - 8) % 2 != 0
            || f[0].Length > 32 || !SdpText.IsToken(f[0])
            || !SdpText.TryParseInt32(f[1], out int component) || component is < 1 or > 256
            || !SdpText.IsToken(f[2])
            || !SdpText.TryParseUInt32(f[3], out uint priority)
            || !SdpText.TryParsePort(f[5], out int port)
            || !SdpText.IsToken(f[7]))
        {
            return false;
        }

        var result = new SdpCandidate
        {
            Foundation = f[0], Component = component, Transport = f[2], Priority = priority,
            Address = f[4], Port = port, Type = f[7],
        };

        for (int i = 8; i < f.Length; i += 2)
        {
            switch (f[i])
            {
                case "raddr" when result.RelatedAddress is null:
                    result.RelatedAddress = f[i + 1];
                    break;
                case "rport" when result.RelatedPort is null:
                    if (!SdpText.TryParsePort(f[i + 1], out int rport))
                    {
                        return false;
                    }

                    result.RelatedPort = rport;
                    break;
                default:
                    result.Extensions.Add(new(f[i], f[i + 1]));
                    break;
            }
        }

        candidate = result;
        return true;
    }

    /// <summary>The attribute value (without the "candidate:" name).</summary>
    public override string ToString()
    {
        var parts = new List<string>(10 + (Extensions.Count * 2))
        {
            Foundation, SdpText.Format(Component), Transport, SdpText.Format(Priority),
            Address, SdpText.Format(Port), "typ", Type,
        };

        if (RelatedAddress is not null)
        {
            parts.Add("raddr");
            parts.Add(RelatedAddress);
        }

        if (RelatedPort is int rport)
        {
            parts.Add("rport");
            parts.Add(SdpText.Format(rport));
        }

        foreach (KeyValuePair<string, string> e in Extensions)
        {
            parts.Add(e.Key);
            parts.Add(e.Value);
        }

        return string.Join(' ', parts);
    }
}
