using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MediaRelay.Core;

namespace MediaRelay.Transport.Udp;

/// <summary>
/// One UDP media port: a dedicated receive thread that rents a <see cref="PooledPacket"/>, receives into
/// it with the allocation-free <c>Socket.ReceiveFrom(Span, SocketFlags, SocketAddress)</c>, stamps it with the
/// kernel's arrival time where Linux gives it (<see cref="KernelArrivalClock"/>; else the receive time) and
/// hands it to the <see cref="IUdpPacketHandler"/> synchronously. Errors are counted, never fatal to the
/// loop: ICMP-induced ConnectionReset/ConnectionRefused, oversized datagrams, handler exceptions, an
/// exhausted pool (the datagram is read into a scratch buffer and dropped). <see cref="SendTo"/> may be
/// called from any thread.
/// </summary>
public sealed class UdpMediaSocket : IDisposable
{
    /// <summary>Requested kernel send/receive buffer size (the kernel may clamp it, e.g. net.core.rmem_max).</summary>
    public const int SocketBufferSize = 4 * 1024 * 1024;

    private const int SioUdpConnReset = -1744830452; // Windows: stop ICMP port-unreachable from failing recv

    private readonly Socket _socket;
    private readonly PacketPool _pool;
    private readonly IUdpPacketHandler _handler;
    private readonly int _addressSize;
    private readonly byte[] _scratch;
    private readonly SocketAddress _scratchAddress;
    private Thread? _thread;
    private volatile bool _stopping;
    private long _received;
    private long _dropped;
    private long _sendErrors;
    private long _receiveErrors;
    private long _handlerErrors;
    private long _truncated;
    private readonly bool _kernelArrival;
    private readonly int _fd;

    public UdpMediaSocket(IPEndPoint bind, PacketPool pool, IUdpPacketHandler handler)
    {
        ArgumentNullException.ThrowIfNull(bind);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(handler);
        _pool = pool;
        _handler = handler;
        _socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            TrySetBufferSizes(_socket);
            // A busy loop goes straight to the blocking receive; this bounds that wait so ticks (the pacer's
            // drain above all) are never held hostage by the next packet. Only an idle socket times out.
            _socket.ReceiveTimeout = (int)Math.Ceiling(TickInterval.TotalMilliseconds);
            if (OperatingSystem.IsWindows())
            {
                _socket.IOControl(SioUdpConnReset, new byte[4], null);
            }
            _socket.Bind(bind);
            _kernelArrival = KernelArrivalClock.Enable(_socket);
            _fd = (int)_socket.Handle;
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _addressSize = SocketAddress.GetMaximumAddressSize(bind.AddressFamily);
        _scratch = GC.AllocateUninitializedArray<byte>(65536, pinned: true);
        _scratchAddress = new SocketAddress(bind.AddressFamily);
    }

    /// <summary>How often an <see cref="IUdpLoopTimer"/> handler is ticked.</summary>
    public static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(5); // a pacer's granularity

    /// <summary>The bound address and (possibly kernel-chosen) port.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The underlying socket (for options and diagnostics; do not receive on it).</summary>
    public Socket Socket => _socket;

    /// <summary>Datagrams handed to the handler.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Datagrams read and dropped because the pool was exhausted.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Failed <see cref="SendTo"/> calls.</summary>
    public long SendErrors => Interlocked.Read(ref _sendErrors);

    /// <summary>Receive calls that failed and were skipped (ICMP errors, truncation, ...).</summary>
    public long ReceiveErrors => Interlocked.Read(ref _receiveErrors);

    /// <summary>
    /// Datagrams dropped because they filled the whole pooled buffer and may have been truncated
    /// (Linux cuts oversized datagrams silently).
    /// </summary>
    public long Truncated => Interlocked.Read(ref _truncated);

    /// <summary>Exceptions thrown by the handler.</summary>
    public long HandlerErrors => Interlocked.Read(ref _handlerErrors);

    /// <summary>Starts the receive thread (once).</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        if (_thread is not null)
        {
            ThrowHelper.ThrowInvalidOperation("UdpMediaSocket already started.");
        }
        _thread = new Thread(ReceiveLoop)
        {
            IsBackground = true,
            Name = "udp-rx " + LocalEndPoint,
        };
        _thread.Start();
    }

    /// <summary>Sends one datagram; false (counted) on any error. Allocation-free.</summary>
    public bool SendTo(ReadOnlySpan<byte> data, SocketAddress to)
    {
        try
        {
            return _socket.SendTo(data, SocketFlags.None, to) == data.Length;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or ArgumentException)
        {
            Interlocked.Increment(ref _sendErrors);
            return false;
        }
    }

    /// <summary>Closes the socket, which unblocks the receive thread, and joins it.</summary>
    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }
        _stopping = true;
        _socket.Dispose();
        if (_thread is not null && _thread != Thread.CurrentThread)
        {
            _thread.Join(TimeSpan.FromSeconds(5));
        }
    }

    /// <summary>True once the receive thread has exited.</summary>
    public bool IsReceiveLoopFinished => _thread is { IsAlive: false };

    private void ReceiveLoop()
    {
        IUdpLoopTimer? timer = _handler as IUdpLoopTimer;
        long tickTicks = (long)(TickInterval.TotalSeconds * Stopwatch.Frequency);
        long busyTicks = Stopwatch.Frequency / 500; // a packet within 2 ms: more are coming, skip the poll
        long nextTick = Stopwatch.GetTimestamp() + tickTicks;
        long lastPacket = 0;
        while (!_stopping)
        {
            PooledPacket? packet = null;
            try
            {
                if (timer is not null)
                {
                    long now = Stopwatch.GetTimestamp();
                    if (now >= nextTick)
                    {
                        nextTick = now + tickTicks;
                        Tick(timer, now);
                    }
                    // Idle: wait no longer than the next tick. Busy: go straight to the blocking receive, the
                    // next packet is usually microseconds away; the receive timeout (one tick) bounds it if not.
                    if (now - lastPacket > busyTicks
                        && !_socket.Poll((int)Math.Max(1, (nextTick - now) * 1_000_000 / Stopwatch.Frequency), SelectMode.SelectRead))
                    {
                        continue;
                    }
                }
                if (_pool.TryRent(out packet))
                {
                    SocketAddress address = packet.RemoteAddress;
                    address.Size = _addressSize;
                    int n = _socket.ReceiveFrom(packet.Buffer, SocketFlags.None, address);
                    if (n >= packet.Capacity)
                    {
                        // Linux truncates silently; a datagram filling the whole buffer may have been cut.
                        Interlocked.Increment(ref _truncated);
                        packet.Release();
                        continue;
                    }
                    packet.Length = n;
                    lastPacket = Stopwatch.GetTimestamp();
                    packet.ReceivedTimestamp = _kernelArrival ? KernelArrivalClock.ArrivalTicks(_fd, lastPacket) : lastPacket;
                    PooledPacket handed = packet;
                    packet = null;
                    Interlocked.Increment(ref _received);
                    Dispatch(handed);
                }
                else
                {
                    packet = null;
                    _scratchAddress.Size = _addressSize;
                    _socket.ReceiveFrom(_scratch, SocketFlags.None, _scratchAddress);
                    Interlocked.Increment(ref _dropped);
                }
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                packet?.Release(); // the busy stretch ended: back to ticking and polling
                lastPacket = 0;
            }
            catch (SocketException e)
            {
                packet?.Release();
                if (_stopping || IsFatal(e.SocketErrorCode))
                {
                    break;
                }
                Interlocked.Increment(ref _receiveErrors);
            }
            catch (ObjectDisposedException)
            {
                packet?.Release();
                break;
            }
        }
    }

    private void Tick(IUdpLoopTimer timer, long now)
    {
        try
        {
            timer.OnTick(now);
        }
        catch (Exception)
        {
            Interlocked.Increment(ref _handlerErrors);
        }
    }

    private void Dispatch(PooledPacket packet)
    {
        try
        {
            _handler.OnPacket(packet);
        }
        catch (Exception)
        {
            // The handler owns the packet even when it throws; we only count.
            Interlocked.Increment(ref _handlerErrors);
        }
    }

    private static bool IsFatal(SocketError error)
        => error is SocketError.OperationAborted or SocketError.Interrupted or SocketError.NotSocket
            or SocketError.Shutdown or SocketError.InvalidArgument;

    private static void TrySetBufferSizes(Socket socket)
    {
        try
        {
            socket.ReceiveBufferSize = SocketBufferSize;
        }
        catch (SocketException)
        {
            // Kernel refused; keep the default.
        }
        try
        {
            socket.SendBufferSize = SocketBufferSize;
        }
        catch (SocketException)
        {
        }
    }
}
