using MediaRelay.Sdp;
using MediaRelay.Sfu;

namespace MediaRelay.Server.Negotiation;

/// <summary>
/// Chooses codecs for answers. Publishers: Opus for audio; for video the first of the configured preferences the
/// offer supports (one codec per room keeps every subscriber able to decode without transcoding). Subscribers: the
/// producer's codec under the subscriber's payload type.
/// </summary>
public static class CodecSelector
{
    /// <summary>RFC 7587 §7: opus is always signalled as opus/48000/2.</summary>
    public static SdpRtpMap? SelectAudio(MediaDescription offer) =>
        offer.GetRtpMaps().FirstOrDefault(m => Is(m, "opus") && m.ClockRate == 48000);

    public static SdpRtpMap? SelectVideo(MediaDescription offer, IReadOnlyList<string> preferences)
    {
        IReadOnlyList<SdpRtpMap> maps = offer.GetRtpMaps();
        foreach (string name in preferences)
        {
            foreach (SdpRtpMap map in maps)
            {
                if (Is(map, name) && map.ClockRate == 90000 && IsAcceptable(map))
                {
                    return map;
                }
            }
        }
        return null;
    }

    /// <summary>The subscriber's format matching what the producer sends, or null.</summary>
    public static SdpRtpMap? SelectForProducer(MediaDescription offer, RtpCodec produced)
    {
        foreach (SdpRtpMap map in offer.GetRtpMaps())
        {
            if (!Is(map, produced.Name) || map.ClockRate != produced.ClockRate)
            {
                continue;
            }
            if (Is(map, "H264") && PacketizationMode(map.Fmtp) != PacketizationMode(produced.Fmtp))
            {
                continue; // RFC 6184 §8.1: different packetization modes are different formats
            }
            if (Is(map, "VP9") && Parameter(map.Fmtp, "profile-id") != Parameter(produced.Fmtp, "profile-id"))
            {
                continue;
            }
            return map;
        }
        return null;
    }

    /// <summary>
    /// RFC 2198 redundancy for <paramref name="primary"/> (Opus), as Chromium offers it: red/48000/2 whose fmtp
    /// names the primary's payload type ("111/111"). Null when not offered.
    /// </summary>
    public static SdpRtpMap? SelectRedFor(MediaDescription offer, SdpRtpMap primary)
    {
        string pt = primary.PayloadType.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return offer.GetRtpMaps().FirstOrDefault(m => Is(m, "red") && m.ClockRate == primary.ClockRate
            && m.Fmtp is { } fmtp && fmtp.Split('/').All(p => p == pt));
    }

    /// <summary>RFC 4588 §8.6: the rtx/90000 format whose apt names <paramref name="primary"/>, or null.</summary>
    public static SdpRtpMap? SelectRtxFor(MediaDescription offer, SdpRtpMap primary) =>
        offer.GetRtpMaps().FirstOrDefault(m => Is(m, "rtx") && m.ClockRate == primary.ClockRate
            && m.AssociatedPayloadType == primary.PayloadType);

    public static RtpCodec ToCodec(SdpRtpMap map) =>
        new((byte)map.PayloadType, map.EncodingName, map.ClockRate, map.Channels ?? 1, map.Fmtp);

    /// <summary>H.264 must be packetization-mode 1 with a constrained-baseline profile every endpoint decodes.</summary>
    private static bool IsAcceptable(SdpRtpMap map)
    {
        if (!Is(map, "H264"))
        {
            return !Is(map, "VP9") || (Parameter(map.Fmtp, "profile-id") ?? "0") == "0";
        }
        string? profile = Parameter(map.Fmtp, "profile-level-id");
        return PacketizationMode(map.Fmtp) == "1"
               && profile is not null && profile.Length == 6
               && (profile.StartsWith("42e0", StringComparison.OrdinalIgnoreCase)
                   || profile.StartsWith("4200", StringComparison.OrdinalIgnoreCase));
    }

    private static string PacketizationMode(string? fmtp) => Parameter(fmtp, "packetization-mode") ?? "0";

    private static string? Parameter(string? fmtp, string name) =>
        SdpRtpMap.ParseFmtpParameters(fmtp).TryGetValue(name, out string? v) ? v : null;

    private static bool Is(SdpRtpMap map, string name) =>
        string.Equals(map.EncodingName, name, StringComparison.OrdinalIgnoreCase);
}
