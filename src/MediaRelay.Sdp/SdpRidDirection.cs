namespace MediaRelay.Sdp;

/// <summary>RFC 8851 §10 rid-dir: whether the rid describes a stream the offerer sends or receives.</summary>
public enum SdpRidDirection
{
    Send,
    Recv,
}
