using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MediaRelay.LoadTest.Native;

namespace MediaRelay.LoadTest.Tests;

/// <summary>
/// The kernel's receive time of a datagram: the SCM_TIMESTAMPNS control message (socket(7)) found by walking the
/// control buffer as CMSG_FIRSTHDR/CMSG_NXTHDR do (cmsg(3)), turned into Stopwatch ticks, and delivered by the poller
/// from a real socket. Control buffers are laid out by hand as on x86-64: struct cmsghdr is size_t cmsg_len (8 bytes,
/// header + data, without padding), int cmsg_level, int cmsg_type, then the data; the next message starts at
/// CMSG_ALIGN(cmsg_len), a multiple of 8. SCM_TIMESTAMPNS carries a struct timespec (two 8-byte longs), so its
/// cmsg_len is 16 + 16 = 32.
/// </summary>
public sealed class DatagramPollerTests
{
    private const int SolSocket = 1;        // SOL_SOCKET
    private const int ScmTimestampNs = 35;  // SCM_TIMESTAMPNS = SO_TIMESTAMPNS
    private const int SoRxqOvfl = 40;       // SO_RXQ_OVFL: a 4-byte drop counter, another SOL_SOCKET message
    private const int IpProtoIp = 0;        // IPPROTO_IP
    private const int IpTos = 1;            // IP_TOS: one byte

    // 2023-11-14T22:13:20.123456789Z: 1 700 000 000 s and 123 456 789 ns → 1 700 000 000 123 456 789 ns.
    private const long Seconds = 1_700_000_000;
    private const long Nanoseconds = 123_456_789;
    private const long Stamp = 1_700_000_000_123_456_789;

    private static void Header(Span<byte> at, ulong length, int level, int type)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(at, length);
        BinaryPrimitives.WriteInt32LittleEndian(at[8..], level);
        BinaryPrimitives.WriteInt32LittleEndian(at[12..], type);
    }

    private static void Timestamp(Span<byte> at, ulong length = 32)
    {
        Header(at, length, SolSocket, ScmTimestampNs);
        BinaryPrimitives.WriteInt64LittleEndian(at[16..], Seconds);
        BinaryPrimitives.WriteInt64LittleEndian(at[24..], Nanoseconds);
    }

    [Fact]
    public void A_single_timestamp_message()
    {
        var control = new byte[32];
        Timestamp(control);

        Assert.Equal(Stamp, LinuxDatagramPoller.KernelTimestamp(control));
    }

    [Theory]
    // IP_TOS: cmsg_len 16 + 1 = 17, padded to 24. SO_RXQ_OVFL: 16 + 4 = 20, padded to 24 (same level, other type).
    [InlineData(IpProtoIp, IpTos, 1)]
    [InlineData(SolSocket, SoRxqOvfl, 4)]
    public void A_timestamp_after_another_message_and_its_padding(int level, int type, int dataLength)
    {
        // [0, 16) header, [16, 16 + data) data, padding to 24 filled with junk, then the timestamp at [24, 56).
        var control = new byte[56];
        control.AsSpan(16, 8).Fill(0xEE);
        Header(control, (ulong)(16 + dataLength), level, type);
        Timestamp(control.AsSpan(24));

        Assert.Equal(Stamp, LinuxDatagramPoller.KernelTimestamp(control));
    }

    [Fact]
    public void A_message_longer_than_the_control_data_ends_the_walk()
    {
        // cmsg_len says 32, but the kernel wrote only 24 bytes (msg_controllen 24).
        var control = new byte[32];
        Timestamp(control);

        Assert.Equal(0, LinuxDatagramPoller.KernelTimestamp(control.AsSpan(0, 24)));
    }

    [Fact]
    public void A_timestamp_cut_short_is_not_read()
    {
        // MSG_CTRUNC: the kernel put cmsg_len 24, half the timespec. The seconds alone must not pass for a stamp.
        var control = new byte[32];
        Timestamp(control, length: 24);

        Assert.Equal(0, LinuxDatagramPoller.KernelTimestamp(control.AsSpan(0, 24)));
    }

    [Fact]
    public void A_length_shorter_than_the_header_ends_the_walk()
    {
        // cmsg_len 8 < sizeof(struct cmsghdr): CMSG_NXTHDR gives NULL, so the valid timestamp behind it is never reached.
        var control = new byte[48];
        Header(control, 8, IpProtoIp, IpTos);
        Timestamp(control.AsSpan(16));

        Assert.Equal(0, LinuxDatagramPoller.KernelTimestamp(control));
    }

    [Fact]
    public void A_second_message_past_the_end_is_not_read()
    {
        // IP_TOS (17 → 24), then a timestamp whose cmsg_len 32 runs past the 40 bytes written.
        var control = new byte[56];
        Header(control, 17, IpProtoIp, IpTos);
        Timestamp(control.AsSpan(24));

        Assert.Equal(0, LinuxDatagramPoller.KernelTimestamp(control.AsSpan(0, 40)));
    }

    [Fact]
    public void No_control_data()
    {
        Assert.Equal(0, LinuxDatagramPoller.KernelTimestamp([]));
        Assert.Equal(0, LinuxDatagramPoller.KernelTimestamp(new byte[8]));  // shorter than a header
        Assert.Equal(0, LinuxDatagramPoller.KernelTimestamp(new byte[64])); // zeroes: cmsg_len 0
    }

    [Fact]
    public void A_stamp_becomes_stopwatch_ticks_by_its_age()
    {
        // The stamp is 250 µs (250 000 ns) older than the realtime reading paired with the Stopwatch reading.
        long stopwatchNow = 10 * Stopwatch.Frequency;
        long arrival = LinuxDatagramPoller.ArrivalTicks(Stamp, Stamp + 250_000, stopwatchNow);

        Assert.Equal(250, (stopwatchNow - arrival) * 1e6 / Stopwatch.Frequency, 6);
    }

    [Fact]
    public void A_stamps_age_is_clamped_to_between_zero_and_a_second()
    {
        long stopwatchNow = 10 * Stopwatch.Frequency;

        // A stamp after the realtime reading (the clock stepped back): age 0, the datagram arrived "now".
        Assert.Equal(stopwatchNow, LinuxDatagramPoller.ArrivalTicks(Stamp + 5_000, Stamp, stopwatchNow));
        // A stamp 3 s old: taken as 1 s.
        Assert.Equal(stopwatchNow - Stopwatch.Frequency, LinuxDatagramPoller.ArrivalTicks(Stamp, Stamp + 3_000_000_000, stopwatchNow));
        // No stamp, or no realtime reading: 0, "unknown".
        Assert.Equal(0, LinuxDatagramPoller.ArrivalTicks(0, Stamp, stopwatchNow));
        Assert.Equal(0, LinuxDatagramPoller.ArrivalTicks(Stamp, 0, stopwatchNow));
    }

    [Fact]
    public void A_loopback_datagram_comes_with_the_kernels_receive_time()
    {
        // Read before the sockets exist: the poller pairs its Stopwatch reading with a CLOCK_REALTIME reading taken
        // just after it, so a converted arrival can come out earlier than the true one by the gap between those two
        // readings; the whole set-up below stands between this reading and the datagram's arrival.
        long before = Stopwatch.GetTimestamp();
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { Blocking = false };
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sender.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int fd = (int)receiver.SafeHandle.DangerousGetHandle();
        Assert.True(LinuxDatagramPoller.EnableReceiveTimestamps(fd));
        using var poller = new LinuxDatagramPoller();
        poller.Add(fd, 7);
        var sink = new OneSocket(fd);

        sender.SendTo([1, 2, 3, 4, 5], receiver.LocalEndPoint!);
        for (int attempt = 0; attempt < 100 && sink.Datagrams == 0; attempt++)
        {
            _ = poller.Poll(100, ref sink); // returns as soon as the socket is readable
        }

        Assert.Equal(1, sink.Datagrams);
        Assert.Equal([1, 2, 3, 4, 5], sink.Payload);
        Assert.Equal(7UL, sink.Token);
        Assert.NotEqual(0, sink.Arrival);
        Assert.InRange(sink.Arrival, before, sink.Delivered);
    }

    private struct OneSocket(int fd) : IDatagramSink
    {
        public int Datagrams;
        public byte[] Payload = [];
        public ulong Token;
        public long Arrival;
        public long Delivered;

        public readonly int FileDescriptorOf(ulong token) => token == 7 ? fd : -1;

        public void OnDatagram(ulong token, Span<byte> datagram, long arrivalTicks)
        {
            Delivered = Stopwatch.GetTimestamp();
            Datagrams++;
            Payload = datagram.ToArray();
            Token = token;
            Arrival = arrivalTicks;
        }
    }
}
