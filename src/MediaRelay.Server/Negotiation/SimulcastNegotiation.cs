using MediaRelay.Sdp;
using MediaRelay.Server.Options;
using MediaRelay.Sfu;

namespace MediaRelay.Server.Negotiation;

/// <summary>How a publisher's simulcast offer (RFC 8853, RFC 8851) is answered.</summary>
public static class SimulcastNegotiation
{
    /// <summary>
    /// A simulcast publisher starts at a rate that carries its middle layer instead of libwebrtc's 300 kbps default,
    /// which would keep the upper layers off for the first tens of seconds of every consultation; its loss-based
    /// controller, fed by our receiver reports, backs off within seconds on a poor link. The parameter is libwebrtc's
    /// (x-google-start-bitrate, kbps) and other endpoints ignore it.
    /// </summary>
    public static string WithStartBitrate(string? fmtp, MediaOptions media)
    {
        long kbps = Math.Min(media.SimulcastStartBitrate, media.MaxIncomingBitrate) / 1000;
        string parameter = "x-google-start-bitrate=" + kbps.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return string.IsNullOrEmpty(fmtp) ? parameter : fmtp + ";" + parameter;
    }

    /// <summary>
    /// The simulcast streams (RFC 8853 §5.1) we accept: the first non-paused alternative of each send stream that
    /// has a matching a=rid send line (RFC 8851), without repeats, at most <see cref="Producer.MaxLayers"/>.
    /// </summary>
    public static IReadOnlyList<string> AcceptedLayers(MediaDescription m)
    {
        SdpSimulcast? simulcast = m.Simulcast;
        if (simulcast is null || simulcast.Send.Count < 2)
        {
            return [];
        }
        var declared = new HashSet<string>(m.GetRids().Where(r => r.Direction == SdpRidDirection.Send).Select(r => r.Id),
            StringComparer.Ordinal);
        var accepted = new List<string>();
        foreach (IReadOnlyList<SdpSimulcastStream> stream in simulcast.Send)
        {
            SdpSimulcastStream? choice = stream.FirstOrDefault(s => !s.Paused && declared.Contains(s.Rid));
            if (choice is not null && !accepted.Contains(choice.Rid) && accepted.Count < Producer.MaxLayers)
            {
                accepted.Add(choice.Rid);
            }
        }
        return accepted.Count >= 2 ? accepted : [];
    }
}
