using System.Diagnostics.CodeAnalysis;

namespace MediaRelay.Sdp;

/// <summary>
/// RFC 8830 §2 media stream id: <c>a=msid:&lt;stream-id&gt; [&lt;track-id&gt;]</c>
/// (Chromium writes "-" as the stream id for a track without a stream).
/// </summary>
public sealed record SdpMsid(string StreamId, string? TrackId = null)
{
    public static bool TryParse(string value, [NotNullWhen(true)] out SdpMsid? msid)
    {
        string[] f = SdpText.SplitFields(value);
        msid = f.Length switch
        {
            1 => new SdpMsid(f[0]),
            2 => new SdpMsid(f[0], f[1]),
            _ => null,
        };
        return msid is not null;
    }

    /// <summary>The attribute value.</summary>
    public override string ToString() => TrackId is null ? StreamId : StreamId + " " + TrackId;
}
