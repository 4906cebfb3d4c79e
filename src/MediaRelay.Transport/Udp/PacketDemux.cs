namespace MediaRelay.Transport.Udp;

/// <summary>
/// Demultiplexes STUN, DTLS and SRTP/SRTCP sharing one UDP port by the first byte
/// (RFC 7983 §7, updating RFC 5764 §5.1.2).
/// </summary>
public static class PacketDemux
{
    public static PacketKind Classify(ReadOnlySpan<byte> datagram)
    {
        if (datagram.IsEmpty)
        {
            return PacketKind.Unknown;
        }
        byte b = datagram[0];
        return b switch
        {
            <= 3 => PacketKind.Stun,
            >= 16 and <= 19 => PacketKind.ZrtpOrUnknown,
            >= 20 and <= 63 => PacketKind.Dtls,
            >= 64 and <= 79 => PacketKind.TurnChannel,
            >= 128 and <= 191 => PacketKind.Rtp,
            _ => PacketKind.Unknown,
        };
    }

    /// <summary>
    /// For a <see cref="PacketKind.Rtp"/> datagram: RTCP when the second byte (packet type) is
    /// 192..223 (RFC 5761 §4).
    /// </summary>
    public static bool IsRtcp(ReadOnlySpan<byte> datagram)
        => datagram.Length >= 2 && datagram[1] >= 192 && datagram[1] <= 223;
}
