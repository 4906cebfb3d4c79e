using MediaRelay.Dtls;
using MediaRelay.Testing;

namespace MediaRelay.Dtls.Tests;

public sealed class QueueDatagramTransportTests
{
    private sealed class NullSender : IDtlsPacketSender
    {
        public int Count;

        public void SendDtls(ReadOnlySpan<byte> datagram) => Count++;
    }

    [Fact]
    public void EnqueueThenReceive_PreservesOrderAndBytes()
    {
        var transport = new QueueDatagramTransport(new NullSender(), 1200, 8);
        transport.Enqueue([22, 1, 2]);
        transport.Enqueue([23, 4]);
        byte[] buffer = new byte[100];
        Assert.Equal(3, transport.Receive(buffer, 0, buffer.Length, 10));
        Assert.Equal(new byte[] { 22, 1, 2 }, buffer[..3]);
        Assert.Equal(2, transport.Receive(buffer.AsSpan(), 10));
        Assert.Equal(new byte[] { 23, 4 }, buffer[..2]);
        Assert.Equal(-1, transport.Receive(buffer.AsSpan(), 20));
    }

    [Fact]
    public void Receive_WakesWhenDatagramArrives()
    {
        var transport = new QueueDatagramTransport(new NullSender(), 1200, 8);
        var feeder = new Thread(() =>
        {
            Thread.Sleep(50);
            transport.Enqueue([22, 9]);
        });
        feeder.Start();
        Assert.Equal(2, transport.Receive(new byte[16].AsSpan(), 5000));
        feeder.Join();
    }

    [Fact]
    public void Cancel_WakesWaiterWithIOExceptionAndDropsSends()
    {
        var sender = new NullSender();
        var transport = new QueueDatagramTransport(sender, 1200, 8);
        var canceler = new Thread(() =>
        {
            Thread.Sleep(50);
            transport.Cancel();
        });
        canceler.Start();
        Assert.Throws<IOException>(() => transport.Receive(new byte[16].AsSpan(), 10000));
        canceler.Join();
        transport.Send([1, 2, 3]);
        Assert.Equal(0, sender.Count);
        transport.Enqueue([22]);
        Assert.Equal(1, transport.DroppedCount);
    }

    [Fact]
    public void Enqueue_GarbageAndOversize_NeverThrows()
    {
        var transport = new QueueDatagramTransport(new NullSender(), 1200, 4);
        var random = new Random(7983);
        for (int i = 0; i < 2000; i++)
        {
            byte[] datagram = new byte[random.Next(0, 3000)];
            random.NextBytes(datagram);
            transport.Enqueue(datagram);
            if (i % 3 == 0)
            {
                transport.Receive(new byte[64].AsSpan(), 0); // truncates into a small buffer
            }
        }

        transport.Enqueue(new byte[QueueDatagramTransport.MaxDatagramLength + 1]);
        Assert.True(transport.DroppedCount > 0);
    }

    [Fact]
    public void EnqueueReceive_SteadyState_DoesNotAllocate()
    {
        var transport = new QueueDatagramTransport(new NullSender(), 1200, 64);
        byte[] datagram = new byte[1200];
        byte[] buffer = new byte[2048];
        for (int i = 0; i < 1000; i++)
        {
            transport.Enqueue(datagram);
            transport.Receive(buffer.AsSpan(), 0);
        }

        long allocated = AllocationMeter.Measure(() =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                transport.Enqueue(datagram);
                transport.Receive(buffer.AsSpan(), 0);
            }
        });

        Assert.Equal(0, allocated);
    }
}
