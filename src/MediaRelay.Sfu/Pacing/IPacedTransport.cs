namespace MediaRelay.Sfu.Pacing;

/// <summary>The transport behind a <see cref="PacedSender"/>: the subscriber's SRTP protection and socket send.</summary>
public interface IPacedTransport
{
    /// <summary>
    /// Protects <paramref name="buffer"/>[0..length] in place (the buffer has at least 32 bytes of headroom after
    /// <paramref name="length"/> for the SRTP trailer) and sends it now. <paramref name="now"/> is in
    /// <see cref="System.Diagnostics.Stopwatch"/> ticks. Returns false when the packet could not be sent. The buffer
    /// is only borrowed for the duration of the call.
    /// </summary>
    bool Transmit(byte[] buffer, int length, PacketPriority priority, long now);
}
