using System.Diagnostics.CodeAnalysis;

namespace MediaRelay.Sdp;

/// <summary>
/// One RTP payload format of a media section, gathered from RFC 8866 §6.6
/// <c>a=rtpmap:&lt;payload type&gt; &lt;encoding name&gt;/&lt;clock rate&gt;[/&lt;encoding parameters&gt;]</c>,
/// §6.15 <c>a=fmtp:&lt;format&gt; &lt;format specific parameters&gt;</c> and RFC 4585 §4.2
/// <c>a=rtcp-fb:&lt;pt|*&gt; &lt;feedback&gt;</c>.
/// </summary>
public sealed class SdpRtpMap
{
    public SdpRtpMap()
    {
    }

    public SdpRtpMap(int payloadType, string encodingName, int clockRate, int? channels = null, string? fmtp = null)
    {
        PayloadType = payloadType;
        EncodingName = encodingName;
        ClockRate = clockRate;
        Channels = channels;
        Fmtp = fmtp;
    }

    /// <summary>0-127.</summary>
    public int PayloadType { get; set; }

    /// <summary>As written ("opus", "VP8", "H264", "rtx"); compare case-insensitively (RFC 8866 §6.6).</summary>
    public string EncodingName { get; set; } = string.Empty;

    public int ClockRate { get; set; }

    /// <summary>Audio channel count when written (encoding parameters); null means the default of one.</summary>
    public int? Channels { get; set; }

    /// <summary>The a=fmtp parameter text for this payload type, e.g. "minptime=10;useinbandfec=1".</summary>
    public string? Fmtp { get; set; }

    /// <summary>Feedback types from a=rtcp-fb for this payload type and for "*", in order ("nack pli", "transport-cc").</summary>
    public List<string> RtcpFeedback { get; } = [];

    /// <summary>Apt of an RTX format (RFC 4588 §8.6 "apt=96"); null otherwise.</summary>
    public int? AssociatedPayloadType =>
        GetFmtpParameters().TryGetValue("apt", out string? apt) && SdpText.TryParseInt32(apt, out int pt) && pt <= 127
            ? pt
            : null;

    /// <summary>Parses <see cref="Fmtp"/> into a case-insensitive dictionary (see <see cref="ParseFmtpParameters"/>).</summary>
    public IReadOnlyDictionary<string, string> GetFmtpParameters() => ParseFmtpParameters(Fmtp);

    /// <summary>
    /// Splits "k1=v1;k2=v2" (spaces around items ignored) into a case-insensitive dictionary. An item without '='
    /// (telephone-event's "0-16", red's "111/111") is stored as a key with an empty value. The first of duplicate
    /// keys wins.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ParseFmtpParameters(string? fmtp)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrEmpty(fmtp))
        {
            return result;
        }

        foreach (string raw in fmtp.Split(';'))
        {
            string item = raw.Trim();
            if (item.Length == 0)
            {
                continue;
            }

            int eq = item.IndexOf('=');
            string key = eq < 0 ? item : item[..eq].Trim();
            string value = eq < 0 ? string.Empty : item[(eq + 1)..].Trim();
            if (key.Length > 0)
            {
                result.TryAdd(key, value);
            }
        }

        return result;
    }

    /// <summary>Parses an a=rtpmap value ("111 opus/48000/2"); fmtp and feedback are left empty.</summary>
    public static bool TryParse(string value, [NotNullWhen(true)] out SdpRtpMap? map)
    {
        map = null;
        if (!SdpText.TrySplitFirst(value, out string ptText, out string encoding)
            || !TryParsePayloadType(ptText, out int pt))
        {
            return false;
        }

        string[] parts = encoding.Trim().Split('/');
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0 || !SdpText.IsToken(parts[0])
            || !SdpText.TryParseInt32(parts[1], out int clock) || clock == 0)
        {
            return false;
        }

        int? channels = null;
        if (parts.Length == 3)
        {
            if (!SdpText.TryParseInt32(parts[2], out int ch) || ch == 0)
            {
                return false;
            }

            channels = ch;
        }

        map = new SdpRtpMap(pt, parts[0], clock, channels);
        return true;
    }

    internal static bool TryParsePayloadType(ReadOnlySpan<char> text, out int payloadType) =>
        SdpText.TryParseInt32(text, out payloadType) && payloadType <= 127;

    /// <summary>The a=rtpmap value, e.g. "111 opus/48000/2".</summary>
    public override string ToString()
    {
        string head = SdpText.Format(PayloadType) + " " + EncodingName + "/" + SdpText.Format(ClockRate);
        return Channels is int ch ? head + "/" + SdpText.Format(ch) : head;
    }
}
