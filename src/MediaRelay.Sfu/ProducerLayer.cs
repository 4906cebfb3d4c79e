using System.Diagnostics;
using MediaRelay.Sfu.Rtcp;

namespace MediaRelay.Sfu;

/// <summary>
/// One encoding of a producer: the only one for a plain track, one per rid for simulcast (RFC 8853 §5.1), ordered
/// from the lowest to the highest resolution. Written by the media loop; read by consumers on the same loop.
/// </summary>
public sealed class ProducerLayer
{
    /// <summary>A layer with no packet for this long is considered stopped (the publisher dropped it).</summary>
    public static readonly long ActiveWindowTicks = Stopwatch.Frequency;

    internal ProducerLayer(int index, string? rid, uint ssrc)
    {
        Index = index;
        Rid = rid;
        Ssrc = ssrc;
    }

    public int Index { get; }

    /// <summary>The RTP stream id (RFC 8852) the publisher tags this layer with, or null for a plain track.</summary>
    public string? Rid { get; }

    /// <summary>The layer's SSRC; 0 until learned from a packet carrying our MID/RID.</summary>
    public uint Ssrc { get; internal set; }

    /// <summary>Frame size from the last keyframe (VP8), 0 when unknown.</summary>
    public int Width { get; internal set; }

    public int Height { get; internal set; }

    public long Packets { get; internal set; }
    public long Bytes { get; internal set; }
    public long LastPacketTimestamp { get; internal set; }

    /// <summary>Loss, jitter and sender-report timing of this layer's stream (RFC 3550 §6.4), for our receiver reports.</summary>
    public RtpReceiveStatistics Statistics { get; } = new();

    internal int KeyFrameWanted;

    public bool IsActive(long now) => LastPacketTimestamp != 0 && now - LastPacketTimestamp < ActiveWindowTicks;
}
