using System.Diagnostics.CodeAnalysis;

namespace MediaRelay.Sdp;

/// <summary>
/// RFC 8285 §8 RTP header extension mapping:
/// <c>a=extmap:&lt;value&gt;["/"&lt;direction&gt;] &lt;URI&gt; &lt;extensionattributes&gt;</c>.
/// Valid ids are 1-255 (1-14 one-byte form) and 4096-4351 (offer-only negotiation range).
/// </summary>
public sealed record SdpExtMap(int Id, string Uri, SdpDirection? Direction = null, string? ExtensionAttributes = null)
{
    public const string AudioLevelUri = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    public const string MidUri = "urn:ietf:params:rtp-hdrext:sdes:mid";
    public const string RtpStreamIdUri = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    public const string RepairedRtpStreamIdUri = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
    public const string PlayoutDelayUri = "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay";
    public const string AbsSendTimeUri = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    public const string TransportWideCcUri = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

    public static bool TryParse(string value, [NotNullWhen(true)] out SdpExtMap? extMap)
    {
        extMap = null;
        if (!SdpText.TrySplitFirst(value, out string idText, out string rest))
        {
            return false;
        }

        SdpDirection? direction = null;
        int slash = idText.IndexOf('/');
        if (slash >= 0)
        {
            if (!SdpKeywords.TryParseDirection(idText[(slash + 1)..], out SdpDirection d))
            {
                return false;
            }

            direction = d;
            idText = idText[..slash];
        }

        if (!SdpText.TryParseInt32(idText, out int id) || !IsValidId(id))
        {
            return false;
        }

        SdpText.TrySplitFirst(rest, out string uri, out string attributes);
        if (uri.Length == 0)
        {
            return false;
        }

        extMap = new SdpExtMap(id, uri, direction, attributes.Length == 0 ? null : attributes);
        return true;
    }

    public static bool IsValidId(int id) => id is (>= 1 and <= 255) or (>= 4096 and <= 4351);

    /// <summary>The attribute value, e.g. "3/sendonly urn:ietf:params:rtp-hdrext:sdes:mid".</summary>
    public override string ToString()
    {
        string id = Direction is SdpDirection d ? SdpText.Format(Id) + "/" + d.ToSdpString() : SdpText.Format(Id);
        return ExtensionAttributes is null ? id + " " + Uri : id + " " + Uri + " " + ExtensionAttributes;
    }
}
