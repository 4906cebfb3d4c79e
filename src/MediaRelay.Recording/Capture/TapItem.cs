using MediaRelay.Core;

namespace MediaRelay.Recording.Capture;

/// <summary>What a tap hands to the recorder's writer thread: one retained RTP packet or one sender report.</summary>
public readonly struct TapItem
{
    private TapItem(int track, PooledPacket? packet, int length, long timestamp, ulong ntpTimestamp, uint rtpTimestamp)
    {
        Track = track;
        Packet = packet;
        Length = length;
        Timestamp = timestamp;
        NtpTimestamp = ntpTimestamp;
        RtpTimestamp = rtpTimestamp;
    }

    /// <summary>The recording's track number (index into the recording's tracks).</summary>
    public int Track { get; }

    /// <summary>A retained packet holding plaintext RTP (the consumer of the item releases it); null for a report.</summary>
    public PooledPacket? Packet { get; }

    /// <summary>The RTP packet's length in <see cref="Packet"/>'s buffer.</summary>
    public int Length { get; }

    /// <summary>Arrival time, Stopwatch ticks.</summary>
    public long Timestamp { get; }

    /// <summary>RFC 3550 §6.4.1 sender report: NTP time (0 for a packet).</summary>
    public ulong NtpTimestamp { get; }

    /// <summary>RFC 3550 §6.4.1 sender report: the RTP timestamp that corresponds to <see cref="NtpTimestamp"/>.</summary>
    public uint RtpTimestamp { get; }

    public bool IsSenderReport => Packet is null;

    public static TapItem ForPacket(int track, PooledPacket packet, int length, long timestamp) =>
        new(track, packet, length, timestamp, 0, 0);

    public static TapItem ForSenderReport(int track, ulong ntpTimestamp, uint rtpTimestamp, long timestamp) =>
        new(track, null, 0, timestamp, ntpTimestamp, rtpTimestamp);
}
