namespace MediaRelay.Sdp;

/// <summary>
/// RFC 8866 §5.8 bandwidth: <c>b=&lt;bwtype&gt;:&lt;bandwidth&gt;</c>, e.g. "AS:2000" (kbit/s) or
/// "TIAS:2000000" (bit/s, RFC 3890).
/// </summary>
public sealed record SdpBandwidth(string Type, ulong Value)
{
    internal static bool TryParse(string value, out SdpBandwidth? bandwidth)
    {
        bandwidth = null;
        int colon = value.IndexOf(':');
        if (colon <= 0 || !SdpText.IsToken(value.AsSpan(0, colon))
            || !SdpText.TryParseUInt64(value.AsSpan(colon + 1), out ulong amount))
        {
            return false;
        }

        bandwidth = new SdpBandwidth(value[..colon], amount);
        return true;
    }

    /// <summary>The line content after "b=".</summary>
    public override string ToString() => Type + ":" + SdpText.Format(Value);
}
