using MediaRelay.Sfu.Pacing;

namespace MediaRelay.Sfu;

/// <summary>
/// The sending side of a subscriber's transport. The consumer hands over its own plaintext send buffer; the
/// transport protects it in place (the buffer has room for the SRTP trailer) and sends it. Runs on the media loop.
/// </summary>
public interface IRtpEgress
{
    /// <summary>Protect and send an RTP packet held in <paramref name="buffer"/>[0..length].</summary>
    bool SendRtp(byte[] buffer, int length);

    /// <summary>
    /// Protect and send an RTP packet of the given kind; a paced transport may queue it (copying the bytes) and send
    /// it later. The default sends at once.
    /// </summary>
    bool SendRtp(byte[] buffer, int length, PacketPriority priority) => SendRtp(buffer, length);

    /// <summary>
    /// The transport-wide sequence number extension id the subscriber negotiated (0: none). Writers reserve the
    /// element; the transport stamps the number as the packet leaves.
    /// </summary>
    int TransportCcExtensionId => 0;

    /// <summary>The playout-delay extension id the subscriber negotiated for video (0: none).</summary>
    int PlayoutDelayExtensionId => 0;

    /// <summary>Protect and send an RTCP compound packet held in <paramref name="buffer"/>[0..length].</summary>
    bool SendRtcp(byte[] buffer, int length);
}

/// <summary>Feedback that a producer sends back towards its publisher (keyframe requests).</summary>
public interface IPublisherFeedback
{
    /// <summary>Ask the publisher for a keyframe on <paramref name="mediaSsrc"/> (RFC 4585 §6.3.1 PLI).</summary>
    void SendPictureLossIndication(uint mediaSsrc);

    /// <summary>Ask the publisher to resend lost packets of <paramref name="mediaSsrc"/> (RFC 4585 §6.2.1 NACK).</summary>
    void SendNack(uint mediaSsrc, ReadOnlySpan<ushort> sequences);
}
