namespace MediaRelay.Sdp;

/// <summary>Wire spellings of the SDP enumerations (<see cref="SdpDirection"/>, <see cref="SdpSetup"/>).</summary>
public static class SdpKeywords
{
    // RFC 8866 §6.7
    public static string ToSdpString(this SdpDirection direction) => direction switch
    {
        SdpDirection.SendOnly => "sendonly",
        SdpDirection.RecvOnly => "recvonly",
        SdpDirection.Inactive => "inactive",
        _ => "sendrecv",
    };

    public static bool TryParseDirection(string? text, out SdpDirection direction)
    {
        switch (text)
        {
            case "sendrecv": direction = SdpDirection.SendRecv; return true;
            case "sendonly": direction = SdpDirection.SendOnly; return true;
            case "recvonly": direction = SdpDirection.RecvOnly; return true;
            case "inactive": direction = SdpDirection.Inactive; return true;
            default: direction = SdpDirection.SendRecv; return false;
        }
    }

    /// <summary>The direction seen from the other side (sendonly ↔ recvonly), for building answers.</summary>
    public static SdpDirection Reverse(this SdpDirection direction) => direction switch
    {
        SdpDirection.SendOnly => SdpDirection.RecvOnly,
        SdpDirection.RecvOnly => SdpDirection.SendOnly,
        _ => direction,
    };

    // RFC 4145 §4
    public static string ToSdpString(this SdpSetup setup) => setup switch
    {
        SdpSetup.Active => "active",
        SdpSetup.Passive => "passive",
        SdpSetup.HoldConn => "holdconn",
        _ => "actpass",
    };

    public static bool TryParseSetup(string? text, out SdpSetup setup)
    {
        switch (text?.Trim())
        {
            case "active": setup = SdpSetup.Active; return true;
            case "passive": setup = SdpSetup.Passive; return true;
            case "actpass": setup = SdpSetup.ActPass; return true;
            case "holdconn": setup = SdpSetup.HoldConn; return true;
            default: setup = SdpSetup.ActPass; return false;
        }
    }

    internal static SdpDirection? FindDirection(List<SdpAttribute> attributes)
    {
        foreach (SdpAttribute a in attributes)
        {
            if (TryParseDirection(a.Name, out SdpDirection d))
            {
                return d;
            }
        }

        return null;
    }

    internal static void SetDirection(List<SdpAttribute> attributes, SdpDirection direction)
    {
        var replacement = new SdpAttribute(direction.ToSdpString());
        int first = -1;
        for (int i = 0; i < attributes.Count; i++)
        {
            if (!TryParseDirection(attributes[i].Name, out _))
            {
                continue;
            }

            if (first < 0)
            {
                first = i;
                attributes[i] = replacement;
            }
            else
            {
                attributes.RemoveAt(i);
                i--;
            }
        }

        if (first < 0)
        {
            attributes.Add(replacement);
        }
    }
}
