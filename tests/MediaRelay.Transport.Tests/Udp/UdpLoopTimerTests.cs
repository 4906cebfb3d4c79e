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

        public readonly List<long> TickTimes = new(4096);

        public void OnTick(long timestamp)
        {
            Interlocked.Increment(ref Ticks);
            lock (TickTimes)
            {
                TickTimes.Add(timestamp);
            }
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
        // One tick per 5 ms period, never more (ticks are due-time driven); a loaded machine may skip some.
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

    [Fact]
    public async Task A_packet_every_30_ms_does_not_hold_the_ticks_back()
    {
        // A busy loop receives without polling; packets that stop coming quickly must not stall the ticks (which
        // drain the pacers) until the next packet: the receive timeout bounds that wait to about one tick.
        var handler = new TickingHandler();
        using var socket = new UdpMediaSocket(new IPEndPoint(IPAddress.Loopback, 0), new PacketPool(64), handler);
        socket.Start();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await Task.Delay(50);
        lock (handler.TickTimes)
        {
            handler.TickTimes.Clear();
        }
        for (int i = 0; i < 20; i++)
        {
            client.SendTo(new byte[] { 0x80, 0x60, 0, 1 }, socket.LocalEndPoint);
            client.SendTo(new byte[] { 0x80, 0x60, 0, 2 }, socket.LocalEndPoint); // two in a row: the loop is busy
            await Task.Delay(30);
        }
        long[] times;
        lock (handler.TickTimes)
        {
            times = [.. handler.TickTimes];
        }
        double[] gaps = [.. times.Zip(times.Skip(1), (a, b) => (b - a) * 1000.0 / System.Diagnostics.Stopwatch.Frequency).Order()];
        double median = gaps[gaps.Length / 2];
        Assert.True(gaps.Length > 40, $"{gaps.Length + 1} ticks in 600 ms");
        Assert.True(median < 15, $"median gap between ticks {median:F1} ms (a packet every 30 ms would make it ~30)");
    }
}
