using System.Net;
using System.Net.Sockets;
using MediaRelay.Core;
using MediaRelay.Transport.Udp;

namespace MediaRelay.Transport.Tests.Udp;

/// <summary>The receive thread ticks a timer-aware handler on its own thread, idle or busy.</summary>
public sealed class UdpLoopTimerTests
{
    private sealed class TickingHandler : IUdpPacketHandler, IUdpLoopTimer
    {
        public int Ticks;
        public int Packets;
        public int ReceiveThread = -1;
        public volatile bool OtherThread;

        public void OnPacket(PooledPacket packet)
        {
            packet.Release();
            Interlocked.Increment(ref Packets);
            Check();
        }

        public void OnTick(long timestamp)
        {
            Interlocked.Increment(ref Ticks);
            Check();
        }

        private void Check()
        {
            int id = Environment.CurrentManagedThreadId;
            if (Interlocked.CompareExchange(ref ReceiveThread, id, -1) is int seen && seen != -1 && seen != id)
            {
                OtherThread = true;
            }
        }
    }

    [Fact]
    public async Task Ticks_arrive_while_idle_and_while_packets_flow_on_the_receive_thread()
    {
        var handler = new TickingHandler();
        using var socket = new UdpMediaSocket(new IPEndPoint(IPAddress.Loopback, 0), new PacketPool(64), handler);
        socket.Start();

        var idle = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(400);
        int idleTicks = Volatile.Read(ref handler.Ticks);
        double periods = idle.Elapsed.TotalMilliseconds / UdpMediaSocket.TickInterval.TotalMilliseconds;
        // One tick per 20 ms period, never more (ticks are due-time driven); a loaded machine may skip some.
        Assert.InRange(idleTicks, Math.Max(3, (int)(periods / 4)), (int)periods + 2);

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var until = DateTime.UtcNow.AddMilliseconds(400);
        while (DateTime.UtcNow < until)
        {
            client.SendTo(new byte[] { 0x80, 0x60, 0, 1 }, socket.LocalEndPoint);
            Thread.SpinWait(2000);
        }
        await Task.Delay(50);
        Assert.True(handler.Packets > 100, $"{handler.Packets} packets");
        Assert.True(handler.Ticks - idleTicks >= 5, $"only {handler.Ticks - idleTicks} ticks while busy");
        Assert.False(handler.OtherThread, "ticks and packets must share the receive thread");
    }
}
