namespace MediaRelay.Sfu;

/// <summary>
/// When the packet being forwarded on this thread arrived (Stopwatch ticks; 0 when the thread is not forwarding a
/// received packet: retransmissions, padding, RTCP). The receive path sets it around the fan-out; the pacer keeps
/// it with each queued packet and restores it around the send, so the egress can time ingress to egress without
/// the value travelling through every call.
/// </summary>
public static class IngressClock
{
    [ThreadStatic]
    private static long _current;

    public static long Current
    {
        get => _current;
        set => _current = value;
    }
}
