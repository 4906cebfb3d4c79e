using MediaRelay.Core;

namespace MediaRelay.Transport.Udp;

/// <summary>
/// Receives every datagram of a <see cref="UdpMediaSocket"/>, synchronously on its receive thread.
/// The handler consumes the packet: it must call <see cref="PooledPacket.Release"/> exactly once
/// (after a <see cref="PooledPacket.Retain"/> if it keeps the packet). Exceptions are caught and
/// counted by the socket but the packet is then not released on the handler's behalf.
/// </summary>
public interface IUdpPacketHandler
{
    void OnPacket(PooledPacket packet);
}

/// <summary>
/// Optional for a handler: periodic work (RTCP reports, timers of interceptors) run on the receive thread itself, so
/// it needs no lock against the packet path. Called at least every <see cref="UdpMediaSocket.TickInterval"/> while
/// idle and between packets while busy.
/// </summary>
public interface IUdpLoopTimer
{
    void OnTick(long timestamp);
}
