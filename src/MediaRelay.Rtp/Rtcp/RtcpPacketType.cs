namespace MediaRelay.Rtp.Rtcp;

/// <summary>
/// RTCP packet types (RFC 3550 §12.1, https://www.rfc-editor.org/rfc/rfc3550#section-12.1;
/// RFC 4585 §6.1, https://www.rfc-editor.org/rfc/rfc4585#section-6.1).
/// </summary>
public enum RtcpPacketType : byte
{
    SenderReport = 200,
    ReceiverReport = 201,
    SourceDescription = 202,
    Bye = 203,
    App = 204,

    /// <summary>RTPFB: transport-layer feedback (NACK FMT 1, transport-cc FMT 15).</summary>
    TransportFeedback = 205,

    /// <summary>PSFB: payload-specific feedback (PLI FMT 1, FIR FMT 4, REMB FMT 15).</summary>
    PayloadFeedback = 206,
}
