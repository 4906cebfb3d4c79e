using System.Diagnostics.CodeAnalysis;

namespace MediaRelay.Sdp;

/// <summary>
/// RFC 8851 §4/§10 restriction identifier:
/// <c>a=rid:&lt;rid-id&gt; &lt;send|recv&gt; [pt=&lt;fmt&gt;[,&lt;fmt&gt;...];][&lt;restriction&gt;[=&lt;value&gt;];...]</c>,
/// e.g. "h send pt=96,98;max-width=1280;max-height=720".
/// </summary>
public sealed record SdpRid(
    string Id,
    SdpRidDirection Direction,
    IReadOnlyList<int> PayloadTypes,
    IReadOnlyList<KeyValuePair<string, string?>> Restrictions)
{
    public SdpRid(string id, SdpRidDirection direction)
        : this(id, direction, [], [])
    {
    }

    /// <summary>Value of a restriction such as "max-width"; null if absent or valueless.</summary>
    public string? GetRestriction(string name)
    {
        foreach (KeyValuePair<string, string?> r in Restrictions)
        {
            if (string.Equals(r.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return r.Value;
            }
        }

        return null;
    }

    public static bool TryParse(string value, [NotNullWhen(true)] out SdpRid? rid)
    {
        rid = null;
        string[] f = SdpText.SplitFields(value);
        if (f.Length is < 2 or > 3 || !IsValidId(f[0]))
        {
            return false;
        }

        SdpRidDirection direction;
        switch (f[1])
        {
            case "send": direction = SdpRidDirection.Send; break;
            case "recv": direction = SdpRidDirection.Recv; break;
            default: return false;
        }

        var payloadTypes = new List<int>();
        var restrictions = new List<KeyValuePair<string, string?>>();
        if (f.Length == 3)
        {
            foreach (string param in f[2].Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                int eq = param.IndexOf('=');
                string key = eq < 0 ? param : param[..eq];
                if (key.Length == 0)
                {
                    return false;
                }

                if (key == "pt")
                {
                    foreach (string pt in param[(eq + 1)..].Split(','))
                    {
                        if (!SdpRtpMap.TryParsePayloadType(pt, out int parsed))
                        {
                            return false;
                        }

                        payloadTypes.Add(parsed);
                    }
                }
                else
                {
                    restrictions.Add(new(key, eq < 0 ? null : param[(eq + 1)..]));
                }
            }
        }

        rid = new SdpRid(f[0], direction, payloadTypes, restrictions);
        return true;
    }

    /// <summary>RFC 8851 §10 rid-id = 1*(alpha-numeric / "-" / "_").</summary>
    public static bool IsValidId(string id)
    {
        if (id.Length == 0)
        {
            return false;
        }

        foreach (char c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The attribute value.</summary>
    public override string ToString()
    {
        var parameters = new List<string>(Restrictions.Count + 1);
        if (PayloadTypes.Count > 0)
        {
            var pts = new string[PayloadTypes.Count];
            for (int i = 0; i < pts.Length; i++)
            {
                pts[i] = SdpText.Format(PayloadTypes[i]);
            }

            parameters.Add("pt=" + string.Join(',', pts));
        }

        foreach (KeyValuePair<string, string?> r in Restrictions)
        {
            parameters.Add(r.Value is null ? r.Key : r.Key + "=" + r.Value);
        }

        string head = Id + (Direction == SdpRidDirection.Send ? " send" : " recv");
        return parameters.Count == 0 ? head : head + " " + string.Join(';', parameters);
    }

    /// <summary>Value equality over the canonical attribute text (the list members compare by content).</summary>
    public bool Equals(SdpRid? other) => other is not null && ToString() == other.ToString();

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);
}
