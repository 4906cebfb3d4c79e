using System.Buffers;
using Org.BouncyCastle.Tls;

namespace MediaRelay.Dtls;

/// <summary>
/// BouncyCastle's datagram transport over a bounded in-memory queue: the UDP thread enqueues (never blocks,
/// drops when full), the session thread's Receive waits on the queue. Sends go straight to the owner's socket.
/// </summary>
internal sealed class QueueDatagramTransport : DatagramTransport
{
    /// <summary>Largest datagram we accept; beyond any sane DTLS record (2^14 plaintext + expansion).</summary>
    internal const int MaxDatagramLength = (1 << 14) + 2048;

    private readonly IDtlsPacketSender _sender;
    private readonly int _mtu;
    private readonly object _gate = new();
    private readonly byte[]?[] _buffers;
    private readonly int[] _lengths;
    private int _head;
    private int _count;
    private bool _closed;
    private bool _canceled;
    private long _dropped;

    internal QueueDatagramTransport(IDtlsPacketSender sender, int mtu, int capacity)
    {
        _sender = sender;
        _mtu = mtu;
        _buffers = new byte[capacity][];
        _lengths = new int[capacity];
    }

    /// <summary>Datagrams dropped because the queue was full, empty or oversize, or the transport closed.</summary>
    internal long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>True once BC closed the transport (close_notify, fatal alert) or the owner canceled it.</summary>
    internal bool IsClosed => Volatile.Read(ref _closed);

    /// <summary>Called on the UDP thread: copies the datagram; never blocks on the reader, never throws.</summary>
    internal void Enqueue(ReadOnlySpan<byte> datagram)
    {
        if (datagram.IsEmpty || datagram.Length > MaxDatagramLength)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        lock (_gate)
        {
            if (_closed || _count == _buffers.Length)
            {
                _dropped++;
                return;
            }

            byte[] buffer = ArrayPool<byte>.Shared.Rent(datagram.Length);
            datagram.CopyTo(buffer);
            int tail = (_head + _count) % _buffers.Length;
            _buffers[tail] = buffer;
            _lengths[tail] = datagram.Length;
            _count++;
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>Wakes a waiting Receive and makes it (and every later one) fail; sends are dropped afterwards.</summary>
    internal void Cancel()
    {
        lock (_gate)
        {
            _canceled = true;
            CloseLocked();
            Monitor.PulseAll(_gate);
        }
    }

    public int GetReceiveLimit() => MaxDatagramLength;

    public int GetSendLimit() => _mtu;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    public int Receive(Span<byte> buffer, int waitMillis)
    {
        byte[] datagram;
        int length;
        lock (_gate)
        {
            long deadline = Environment.TickCount64 + Math.Max(waitMillis, 0);
            while (_count == 0)
            {
                if (_closed)
                {
                    // An IOException (not a timeout, which BC would retry) aborts the handshake or the receive loop.
                    throw new IOException(_canceled ? "DTLS session disposed" : "DTLS transport closed");
                }

                long remaining = deadline - Environment.TickCount64;
                if (remaining <= 0)
                {
                    return -1;
                }

                Monitor.Wait(_gate, (int)Math.Min(remaining, int.MaxValue));
            }

            datagram = _buffers[_head]!;
            length = _lengths[_head];
            _buffers[_head] = null;
            _head = (_head + 1) % _buffers.Length;
            _count--;
        }

        int copied = Math.Min(length, buffer.Length);
        datagram.AsSpan(0, copied).CopyTo(buffer);
        ArrayPool<byte>.Shared.Return(datagram);
        return copied;
    }

    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    public void Send(ReadOnlySpan<byte> buffer)
    {
        if (Volatile.Read(ref _canceled))
        {
            return;
        }

        _sender.SendDtls(buffer);
    }

    /// <summary>
    /// Called by BC (close_notify received, handshake aborted, or our Dispose closing the connection). Marks the
    /// transport closed without waking the reader, so BC finishes its own close before the reader's next
    /// Receive throws.
    /// </summary>
    public void Close()
    {
        lock (_gate)
        {
            CloseLocked();
        }
    }

    private void CloseLocked()
    {
        _closed = true;
        while (_count > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffers[_head]!);
            _buffers[_head] = null;
            _head = (_head + 1) % _buffers.Length;
            _count--;
        }
    }
}
