using System.Runtime.InteropServices;

namespace MediaRelay.LoadTest.Native;

/// <summary>
/// Receives from many UDP sockets on one thread: epoll(7) says which sockets are readable, recvmmsg(2) drains up
/// to <see cref="BatchSize"/> datagrams per system call. The load generator has hundreds of peers, each with its own
/// socket (a peer is its 5-tuple), and one core: a blocking thread per socket or a completion per datagram would
/// make the generator, not the server, the bottleneck. Buffers are pinned once; a poll allocates nothing.
/// </summary>
internal sealed unsafe class LinuxDatagramPoller : IDisposable
{
    public const int BatchSize = 32;
    public const int DatagramCapacity = 1536;

    private const int EpollCtlAdd = 1;
    private const int EpollCtlDel = 2;
    private const uint EpollIn = 0x001;
    private const int MsgDontWait = 0x40;
    private const int MaxEvents = 64;
    private const int EAgain = 11;
    private const int EIntr = 4;

    private readonly int _epoll;
    private readonly byte* _buffers;
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
        _vectors = (IoVector*)NativeMemory.AllocZeroed((nuint)(BatchSize * sizeof(IoVector)));
        _headers = (MultiMessageHeader*)NativeMemory.AllocZeroed((nuint)(BatchSize * sizeof(MultiMessageHeader)));
        _events = (EpollEvent*)NativeMemory.AllocZeroed((nuint)(MaxEvents * sizeof(EpollEvent)));
        for (int i = 0; i < BatchSize; i++)
        {
            _vectors[i].Base = _buffers + (i * DatagramCapacity);
            _vectors[i].Length = DatagramCapacity;
            _headers[i].Header.Iov = &_vectors[i];
            _headers[i].Header.IovLength = 1;
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

    /// <summary>
    /// Waits up to <paramref name="timeoutMillis"/> for readable sockets and hands every datagram they hold to
    /// <paramref name="sink"/>; returns the number of datagrams delivered.
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
                for (int i = 0; i < count; i++)
                {
                    int length = (int)Math.Min(_headers[i].Length, DatagramCapacity);
                    sink.OnDatagram(token, new Span<byte>(_buffers + (i * DatagramCapacity), length));
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

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _ = close(_epoll);
        NativeMemory.Free(_buffers);
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
}

/// <summary>Where <see cref="LinuxDatagramPoller"/> delivers: maps a token to its socket and takes each datagram.</summary>
internal interface IDatagramSink
{
    int FileDescriptorOf(ulong token);

    void OnDatagram(ulong token, Span<byte> datagram);
}
