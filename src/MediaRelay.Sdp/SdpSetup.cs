namespace MediaRelay.Sdp;

/// <summary>RFC 4145 §4 / RFC 8842 §5.1 a=setup role for the DTLS (or TCP) connection.</summary>
public enum SdpSetup
{
    Active,
    Passive,
    ActPass,
    HoldConn,
}
