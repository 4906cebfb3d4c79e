namespace MediaRelay.Dtls;

/// <summary>
/// Which side of the DTLS handshake we play. RFC 5763 §5 / RFC 8842 §5: the SDP answerer that says
/// a=setup:passive is the DTLS server; an offerer or an answerer that says a=setup:active is the client.
/// </summary>
public enum DtlsRole
{
    Client,
    Server,
}
