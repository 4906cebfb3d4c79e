using System.Diagnostics;
using MediaRelay.Sfu.Nack;
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

    /// <summary>Packets a video layer keeps for retransmission to subscribers (about 2 s at the top layer's rate).</summary>
    public const int RetransmissionCapacity = 512;

    internal ProducerLayer(int index, string? rid, uint ssrc, bool video)
    {
        Index = index;
        Rid = rid;
        Ssrc = ssrc;
        if (video)
        {
            Retransmissions = new RetransmissionCache(TimeSpan.FromSeconds(1), RetransmissionCapacity);
            Nacks = new NackGenerator();
        }
    }

    /// <summary>Recent plaintext packets (retained pooled buffers) to answer subscribers' NACKs; null for audio.</summary>
    public RetransmissionCache? Retransmissions { get; }

    /// <summary>Losses on the publisher's leg to ask it for (RFC 4585 NACK); null for audio.</summary>
    public NackGenerator? Nacks { get; }

    public int Index { get; }

    /// <summary>The RTP stream id (RFC 8852) the publisher tags this layer with, or null for a plain track.</summary>
    public string? Rid { get; }

    /// <summary>The layer's SSRC; 0 until learned from a packet carrying our MID/RID.</summary>
    public uint Ssrc { get; internal set; }

    /// <summary>The SSRC of the RTX stream repairing this layer (RFC 4588), 0 until known.</summary>
    public uint RtxSsrc { get; internal set; }

    /// <summary>Frame size from the last keyframe (VP8), 0 when unknown.</summary>
    public int Width { get; internal set; }

    public int Height { get; internal set; }

    public long Packets { get; internal set; }
    public long Bytes { get; internal set; }

    /// <summary>
    /// Video packets not forwarded because their sequence number had arrived already (or was given up): mostly the
    /// publisher's RTX payload padding, which re-sends recent packets while it probes its uplink. Not in
    /// <see cref="Packets"/>, <see cref="Bytes"/> or <see cref="BitsPerSecond"/>.
    /// </summary>
    public long DuplicatesDropped { get; internal set; }
    public long LastPacketTimestamp { get; internal set; }

    /// <summary>Loss, jitter and sender-report timing of this layer's stream (RFC 3550 §6.4), for our receiver reports.</summary>
    public RtpReceiveStatistics Statistics { get; } = new();

    /// <summary>
    /// What the layer carries on the wire, bits per second: payload plus RTP/SRTP/UDP/IP overhead, measured over
    /// 500 ms windows and smoothed; 0 when the layer stopped. Updated on the media loop's tick.
    /// </summary>
    public long BitsPerSecond { get; private set; }

    internal int KeyFrameWanted;
    private long _rateWindowStart;
    private long _rateWindowBytes;
    private long _rateWindowPackets;

    /// <summary>Per-packet bytes the payload count leaves out: RTP header and extensions, SRTP tag, UDP, IPv4.</summary>
    private const int PacketOverheadBytes = 12 + 16 + 10 + 8 + 20;

    internal void UpdateBitrate(long now)
    {
        if (_rateWindowStart == 0)
        {
            _rateWindowStart = now;
            _rateWindowBytes = Bytes;
            _rateWindowPackets = Packets;
            return;
        }
        long elapsed = now - _rateWindowStart;
        if (elapsed < Stopwatch.Frequency / 2)
        {
            return;
        }
        long bytes = Bytes - _rateWindowBytes + (Packets - _rateWindowPackets) * PacketOverheadBytes;
        long rate = bytes * 8 * Stopwatch.Frequency / elapsed;
        // Half the old value, half the new: a keyframe window lifts it without doubling it.
        BitsPerSecond = IsActive(now) ? (BitsPerSecond == 0 ? rate : (BitsPerSecond + rate) / 2) : 0;
        _rateWindowStart = now;
        _rateWindowBytes = Bytes;
        _rateWindowPackets = Packets;
    }

    public bool IsActive(long now) => LastPacketTimestamp != 0 && now - LastPacketTimestamp < ActiveWindowTicks;
}
