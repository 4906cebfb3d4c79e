using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MediaRelay.LoadTest.Native;

/// <summary>
/// Receives from many UDP sockets on one thread: epoll(7) says which sockets are readable, recvmmsg(2) drains up
/// to <see cref="BatchSize"/> datagrams per system call. The load generator has hundreds of peers, each with its own
/// socket (a peer is its 5-tuple), and one core: a blocking thread per socket or a completion per datagram would
/// make the generator, not the server, the bottleneck. Buffers are pinned once; a poll allocates nothing.
/// Each datagram comes with the kernel's receive time when its socket has SO_TIMESTAMPNS on (socket(7):
/// an SCM_TIMESTAMPNS control message, a struct timespec of CLOCK_REALTIME), converted to Stopwatch ticks, so a
/// latency ends where the datagram reached the socket, not where this thread woke up to read it.
/// </summary>
internal sealed unsafe class LinuxDatagramPoller : IDisposable
{
    public const int BatchSize = 32;
    public const int DatagramCapacity = 1536;

    /// <summary>Room for a few control messages per datagram: one SCM_TIMESTAMPNS is CMSG_SPACE(16) = 32 bytes.</summary>
    public const int ControlCapacity = 64;

    /// <summary>SOL_SOCKET and SO_TIMESTAMPNS (= SCM_TIMESTAMPNS) on x86-64 Linux (asm-generic/socket.h).</summary>
    public const int SocketLevel = 1;
    public const int TimestampNanoseconds = 35;

    private const int ClockRealtime = 0;
    private const long NanosecondsPerSecond = 1_000_000_000;
    private const int ControlHeaderLength = 16; // struct cmsghdr: size_t cmsg_len, int cmsg_level, int cmsg_type

    private const int EpollCtlAdd = 1;
    private const int EpollCtlDel = 2;
    private const uint EpollIn = 0x001;
    private const int MsgDontWait = 0x40;
    private const int MaxEvents = 64;
    private const int EAgain = 11;
    private const int EIntr = 4;

    private readonly int _epoll;
    private readonly byte* _buffers;
    private readonly byte* _controls;
    private readonly IoVector* _vectors;
    private readonly MultiMessageHeader* _headers;
    private readonly EpollEvent* _events;
    private bool _disposed;

    public LinuxDatagramPoller()
    {
        _epoll = epoll_create1(0);
        if (_epoll < 0)
        {
            throw new InvalidOperationException("epoll_create1 failed: errno " + Marshal.GetLastPInvokeError());
        }
        _buffers = (byte*)NativeMemory.AllocZeroed((nuint)(BatchSize * DatagramCapacity));
        _controls = (byte*)NativeMemory.AllocZeroed((nuint)(BatchSize * ControlCapacity));
        _vectors = (IoVector*)NativeMemory.AllocZeroed((nuint)(BatchSize * sizeof(IoVector)));
        _headers = (MultiMessageHeader*)NativeMemory.AllocZeroed((nuint)(BatchSize * sizeof(MultiMessageHeader)));
        _events = (EpollEvent*)NativeMemory.AllocZeroed((nuint)(MaxEvents * sizeof(EpollEvent)));
        for (int i = 0; i < BatchSize; i++)
        {
            _vectors[i].Base = _buffers + (i * DatagramCapacity);
            _vectors[i].Length = DatagramCapacity;
            _headers[i].Header.Iov = &_vectors[i];
            _headers[i].Header.IovLength = 1;
            _headers[i].Header.Control = _controls + (i * ControlCapacity);
        }
    }

    /// <summary>Watches a non-blocking socket; <paramref name="token"/> comes back with each of its datagrams.</summary>
    public void Add(int fd, ulong token)
    {
        var ev = new EpollEvent { Events = EpollIn, Data = token };
        if (epoll_ctl(_epoll, EpollCtlAdd, fd, &ev) != 0)
        {
            throw new InvalidOperationException("epoll_ctl(ADD) failed: errno " + Marshal.GetLastPInvokeError());
        }
    }

    public void Remove(int fd)
    {
        var ev = default(EpollEvent);
        _ = epoll_ctl(_epoll, EpollCtlDel, fd, &ev);
    }

    /// <summary>Asks the kernel to stamp every datagram the socket receives (setsockopt SO_TIMESTAMPNS).</summary>
    public static bool EnableReceiveTimestamps(int fd)
    {
        int on = 1;
        return setsockopt(fd, SocketLevel, TimestampNanoseconds, &on, sizeof(int)) == 0;
    }

    /// <summary>
    /// Waits up to <paramref name="timeoutMillis"/> for readable sockets and hands every datagram they hold to
    /// <paramref name="sink"/> with its kernel arrival time in Stopwatch ticks (0 when the kernel gave none);
    /// returns the number of datagrams delivered.
    /// </summary>
    public int Poll<TSink>(int timeoutMillis, ref TSink sink) where TSink : struct, IDatagramSink
    {
        int ready = epoll_wait(_epoll, _events, MaxEvents, timeoutMillis);
        if (ready <= 0)
        {
            return 0;
        }
        int delivered = 0;
        for (int e = 0; e < ready; e++)
        {
            ulong token = _events[e].Data;
            int fd = sink.FileDescriptorOf(token);
            if (fd < 0)
            {
                continue;
            }
            while (true)
            {
                for (int i = 0; i < BatchSize; i++)
                {
                    _headers[i].Header.Flags = 0;
                    _headers[i].Header.ControlLength = ControlCapacity; // the kernel sets it to what it wrote
                }
                int count = recvmmsg(fd, _headers, BatchSize, MsgDontWait, null);
                if (count <= 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (count < 0 && errno == EIntr)
                    {
                        continue;
                    }
                    break; // EAGAIN: drained; other errors (ECONNREFUSED after an ICMP): try again next poll
                }
                // One pair of clock readings per batch converts every kernel time of the batch: the kernel's age of a
                // datagram (CLOCK_REALTIME now - its stamp) taken back from the Stopwatch (CLOCK_MONOTONIC) now.
                long stopwatchNow = Stopwatch.GetTimestamp();
                TimeSpec realtime;
                long realtimeNow = clock_gettime(ClockRealtime, &realtime) == 0
                    ? (realtime.Seconds * NanosecondsPerSecond) + realtime.Nanoseconds
                    : 0;
                for (int i = 0; i < count; i++)
                {
                    int length = (int)Math.Min(_headers[i].Length, DatagramCapacity);
                    ref MessageHeader header = ref _headers[i].Header;
                    var control = new ReadOnlySpan<byte>(header.Control, (int)Math.Min(header.ControlLength, ControlCapacity));
                    long arrival = ArrivalTicks(KernelTimestamp(control), realtimeNow, stopwatchNow);
                    sink.OnDatagram(token, new Span<byte>(_buffers + (i * DatagramCapacity), length), arrival);
                }
                delivered += count;
                if (count < BatchSize)
                {
                    break;
                }
            }
        }
        return delivered;
    }

    /// <summary>
    /// The kernel stamp <paramref name="stamp"/> (CLOCK_REALTIME ns, 0 for none) as Stopwatch ticks: its age at
    /// <paramref name="realtimeNow"/>, clamped to [0, 1 s], taken back from <paramref name="stopwatchNow"/>, the
    /// Stopwatch reading paired with it. 0 when there is no stamp or no realtime reading.
    /// </summary>
    internal static long ArrivalTicks(long stamp, long realtimeNow, long stopwatchNow)
    {
        if (stamp <= 0 || realtimeNow <= 0)
        {
            return 0;
        }
        long age = Math.Clamp(realtimeNow - stamp, 0, NanosecondsPerSecond);
        return stopwatchNow - (age * Stopwatch.Frequency / NanosecondsPerSecond); // ≤ 1e18: no overflow
    }

    /// <summary>
    /// The SCM_TIMESTAMPNS control message's time in CLOCK_REALTIME nanoseconds, or 0 when there is none.
    /// <paramref name="control"/> is what the kernel wrote (msg_control, msg_controllen long). Walks the control
    /// messages as CMSG_FIRSTHDR/CMSG_NXTHDR do (cmsg(3)): struct cmsghdr is size_t cmsg_len, int cmsg_level,
    /// int cmsg_type, then the data; each message starts CMSG_ALIGN'd, 8 bytes on x86-64. A cmsg_len shorter than
    /// the header or longer than what is left ends the walk with 0.
    /// </summary>
    internal static long KernelTimestamp(ReadOnlySpan<byte> control)
    {
        int offset = 0;
        while (control.Length - offset >= ControlHeaderLength)
        {
            ReadOnlySpan<byte> message = control[offset..];
            ulong length = MemoryMarshal.Read<ulong>(message);
            if (length < ControlHeaderLength || length > (ulong)message.Length)
            {
                return 0;
            }
            int level = MemoryMarshal.Read<int>(message[8..]);
            int type = MemoryMarshal.Read<int>(message[12..]);
            if (level == SocketLevel && type == TimestampNanoseconds && length >= ControlHeaderLength + (ulong)sizeof(TimeSpec))
            {
                TimeSpec time = MemoryMarshal.Read<TimeSpec>(message[ControlHeaderLength..]);
                return (time.Seconds * NanosecondsPerSecond) + time.Nanoseconds;
            }
            offset += (int)((length + 7) & ~7UL);
        }
        return 0;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _ = close(_epoll);
        NativeMemory.Free(_buffers);
        NativeMemory.Free(_controls);
        NativeMemory.Free(_vectors);
        NativeMemory.Free(_headers);
        NativeMemory.Free(_events);
    }

    // struct epoll_event is packed on x86-64 (12 bytes).
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private struct EpollEvent
    {
        public uint Events;
        public ulong Data;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MessageHeader
    {
        public void* Name;
        public uint NameLength;
        public IoVector* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MultiMessageHeader
    {
        public MessageHeader Header;
        public uint Length;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_create1(int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_ctl(int epfd, int op, int fd, EpollEvent* ev);

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_wait(int epfd, EpollEvent* events, int maxEvents, int timeout);

    [DllImport("libc", SetLastError = true)]
    private static extern int recvmmsg(int fd, MultiMessageHeader* messages, uint count, int flags, void* timeout);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int setsockopt(int fd, int level, int name, void* value, uint length);

    [DllImport("libc")]
    private static extern int clock_gettime(int clock, TimeSpec* time);
}

/// <summary>Where <see cref="LinuxDatagramPoller"/> delivers: maps a token to its socket and takes each datagram.</summary>
internal interface IDatagramSink
{
    int FileDescriptorOf(ulong token);

    /// <summary>One datagram; <paramref name="arrivalTicks"/> is the kernel's receive time in Stopwatch ticks, 0 if unknown.</summary>
    void OnDatagram(ulong token, Span<byte> datagram, long arrivalTicks);
}
