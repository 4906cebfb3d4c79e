namespace MediaRelay.Dtls;

/// <summary>Sends one DTLS datagram to the remote peer (the owner's UDP socket). Called on the session thread.</summary>
public interface IDtlsPacketSender
{
    void SendDtls(ReadOnlySpan<byte> datagram);
}
