namespace MediaRelay.Transport.Udp;

/// <summary>What a datagram on the shared media port is, by its first byte (RFC 7983 §7).</summary>
public enum PacketKind : byte
{
    Unknown = 0,

    /// <summary>First byte 0..3.</summary>
    Stun,

    /// <summary>First byte 16..19 (ZRTP; not spoken by the relay).</summary>
    ZrtpOrUnknown,

    /// <summary>First byte 20..63.</summary>
    Dtls,

    /// <summary>First byte 64..79 (TURN ChannelData).</summary>
    TurnChannel,

    /// <summary>First byte 128..191: RTP or RTCP (tell them apart with <see cref="PacketDemux.IsRtcp"/>).</summary>
    Rtp,
}
