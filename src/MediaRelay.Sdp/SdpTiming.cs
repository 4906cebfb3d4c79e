namespace MediaRelay.Sdp;

/// <summary>
/// RFC 8866 §5.9 timing <c>t=&lt;start-time&gt; &lt;stop-time&gt;</c> (NTP seconds; "0 0" = unbounded) and the
/// §5.10 <c>r=</c> repeat lines that belong to it (kept as text).
/// </summary>
public sealed class SdpTiming
{
    public SdpTiming()
    {
    }

    public SdpTiming(ulong startTime, ulong stopTime)
    {
        StartTime = startTime;
        StopTime = stopTime;
    }

    public ulong StartTime { get; set; }

    public ulong StopTime { get; set; }

    /// <summary>Values of the r= lines following this t= line, in order.</summary>
    public List<string> Repeats { get; } = [];

    internal static bool TryParse(string value, out SdpTiming? timing)
    {
        timing = null;
        string[] f = SdpText.SplitFields(value);
        if (f.Length != 2 || !SdpText.TryParseUInt64(f[0], out ulong start) || !SdpText.TryParseUInt64(f[1], out ulong stop))
        {
            return false;
        }

        timing = new SdpTiming(start, stop);
        return true;
    }

    /// <summary>The line content after "t=".</summary>
    public override string ToString() => SdpText.Format(StartTime) + " " + SdpText.Format(StopTime);
}
