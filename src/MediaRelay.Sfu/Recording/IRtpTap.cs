using MediaRelay.Core;
using MediaRelay.Rtp;

namespace MediaRelay.Sfu.Recording;

/// <summary>
/// Sees a producer's packets after de-duplication and before the fan-out (a recorder). Called on the media loop:
/// it must never block or allocate. To keep a packet past the call, <see cref="PooledPacket.Retain"/> the owner
/// (which holds the plaintext RTP, its Length the packet's length) and release it later on any thread.
/// </summary>
public interface IRtpTap
{
    void OnRtp(PooledPacket owner, RtpPacket packet, int layer, long timestamp);

    /// <summary>
    /// An RTCP sender report (RFC 3550 §6.4.1) for <paramref name="layer"/>: the NTP wall clock that corresponds
    /// to <paramref name="rtpTimestamp"/>, which is what aligns this track with the others.
    /// </summary>
    void OnSenderReport(int layer, ulong ntpTimestamp, uint rtpTimestamp, long timestamp);
}
