namespace MediaRelay.Sdp;

/// <summary>RFC 8853 §5.1 sc-id: a rid, "~"-prefixed when the stream is offered paused.</summary>
public sealed record SdpSimulcastStream(string Rid, bool Paused = false)
{
    public override string ToString() => Paused ? "~" + Rid : Rid;
}
