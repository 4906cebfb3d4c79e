using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MediaRelay.Core;
using MediaRelay.Transport.Udp;

namespace MediaRelay.Transport.Tests.Udp;

/// <summary>
/// A datagram that waits in the socket buffer is stamped with its arrival, not with the moment the loop read it, so
/// the wait counts in the forward latency (and in transport-wide feedback).
/// </summary>
public sealed class KernelArrivalClockTests
{
    [Fact]
    public void A_datagram_read_later_is_stamped_with_the_kernels_arrival()
    {
        Assert.True(KernelArrivalClock.IsSupported, "these machines are 64-bit Linux");
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Assert.True(KernelArrivalClock.Enable(receiver));
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

        long sent = Stopwatch.GetTimestamp();
        sender.SendTo(new byte[100], receiver.LocalEndPoint!);
        Thread.Sleep(150); // the datagram waits in the receive buffer
        receiver.Receive(new byte[200]);
        long read = Stopwatch.GetTimestamp();
        long arrival = KernelArrivalClock.ArrivalTicks((int)receiver.Handle, read);

        double waited = Stopwatch.GetElapsedTime(arrival, read).TotalMilliseconds;
        double sinceSend = Stopwatch.GetElapsedTime(sent, arrival).TotalMilliseconds;
        Assert.InRange(waited, 140, 2000);
        Assert.InRange(sinceSend, -2, 50); // loopback delivery happens inside sendto (the bound allows for a busy CI)
    }

    [Fact]
    public void Without_a_received_datagram_the_callers_time_is_kept()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        KernelArrivalClock.Enable(socket);
        Assert.Equal(12345L, KernelArrivalClock.ArrivalTicks((int)socket.Handle, 12345));
    }

    [Fact]
    public async Task The_media_socket_stamps_a_queued_datagram_with_its_arrival()
    {
        var handler = new HoldingHandler();
        using var socket = new UdpMediaSocket(new IPEndPoint(IPAddress.Loopback, 0), new PacketPool(8, preallocate: 8), handler);
        socket.Start();
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

        sender.SendTo(new byte[50], socket.LocalEndPoint); // the handler holds the loop on this one until released
        Assert.True(await handler.FirstArrived.WaitAsync(TimeSpan.FromSeconds(5)));
        long sent = Stopwatch.GetTimestamp();
        sender.SendTo(new byte[60], socket.LocalEndPoint); // waits in the socket buffer meanwhile
        await Task.Delay(150);
        handler.Hold.Release();
        Assert.True(await handler.SecondArrived.WaitAsync(TimeSpan.FromSeconds(5)));

        double stampedAfterSend = Stopwatch.GetElapsedTime(sent, handler.SecondStamp).TotalMilliseconds;
        double handedAfterSend = Stopwatch.GetElapsedTime(sent, handler.SecondHandedAt).TotalMilliseconds;
        Assert.True(handedAfterSend >= 140, $"handed over {handedAfterSend:F0} ms after the send");
        Assert.InRange(stampedAfterSend, -2, 50); // the arrival, not the hand-over 150 ms later
    }

    /// <summary>Holds the receive loop on the first datagram until the test releases it.</summary>
    private sealed class HoldingHandler : IUdpPacketHandler
    {
        public readonly SemaphoreSlim FirstArrived = new(0);
        public readonly SemaphoreSlim Hold = new(0);
        public readonly SemaphoreSlim SecondArrived = new(0);
        public long SecondStamp;
        public long SecondHandedAt;
        private int _count;

        public void OnPacket(PooledPacket packet)
        {
            if (++_count == 1)
            {
                FirstArrived.Release();
                Hold.Wait(TimeSpan.FromSeconds(10));
            }
            else
            {
                SecondStamp = packet.ReceivedTimestamp;
                SecondHandedAt = Stopwatch.GetTimestamp();
                SecondArrived.Release();
            }
            packet.Release();
        }
    }
}
