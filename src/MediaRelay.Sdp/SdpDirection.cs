namespace MediaRelay.Sdp;

/// <summary>RFC 8866 §6.7.1-§6.7.4 media direction attributes (a=sendrecv and friends); also RFC 8285 extmap.</summary>
public enum SdpDirection
{
    SendRecv,
    SendOnly,
    RecvOnly,
    Inactive,
}
