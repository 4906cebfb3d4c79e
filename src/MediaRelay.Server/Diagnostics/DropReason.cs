namespace MediaRelay.Server.Diagnostics;

/// <summary>Why the media loop dropped a datagram or an RTCP item. Each is a label of mediarelay_dropped_packets_total.</summary>
public enum DropReason
{
    UnknownProtocol,
    PoolExhausted,
    StunMalformed,
    StunUnknownUser,
    StunUnauthorized,
    StunBadRequest,
    DtlsUnknownAddress,
    SrtpUnknownAddress,
    SrtpNotReady,
    SrtpAuthenticationFailed,
    SrtpReplay,
    SrtpOther,
    RtpMalformed,
    RtpUnknownSsrc,
    RtcpMalformed,
    RtcpUnknownSsrc,
}
