using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace MediaRelay.Interop.Tests.Server;

/// <summary>
/// A one-way network impairment in user space (there is no tc netem here), applied by <see cref="UdpRelay"/> to
/// every datagram it forwards in one direction. Per datagram, in order:
/// <list type="number">
/// <item>loss: independent (<see cref="LossProbability"/>) and Gilbert-Elliott bursts (<see cref="SetBurstLoss"/>);</item>
/// <item>a token-bucket rate cap (<see cref="RateBitsPerSecond"/>, <see cref="BucketBytes"/>) with a bounded FIFO
/// queue (<see cref="QueueLimit"/> datagrams, tail drop);</item>
/// <item>one-way delay plus uniform jitter in [-Jitter, +Jitter], in order unless <see cref="AllowReordering"/>.</item>
/// </list>
/// All randomness comes from one seeded <see cref="Random"/>. One scheduler thread per path (not per datagram)
/// keeps a priority queue of due datagrams and waits on a monitor, finishing sub-millisecond waits with a
/// high-resolution sleep. Settings can change at any time (a test lifts a cap mid-call). Datagrams are copied into
/// pooled buffers; the caller keeps its own.
/// </summary>
public sealed class ImpairedPath : IDisposable
{
    private readonly object _gate = new();
    private readonly Random _random;
    private readonly Queue<Datagram> _shaper = new();
    private readonly PriorityQueue<Datagram, (long Due, long Order)> _delayed = new();
    private readonly List<Datagram> _due = new();
    private readonly Thread _thread;
    private bool _stopped;
    private long _order;
    private long _lastDue;

    private long _delayTicks;
    private long _jitterTicks;
    private bool _allowReordering;
    private double _lossProbability;
    private double _burstP, _burstR, _lossInBad = 1, _lossInGood;
    private bool _burstBad;
    private long _rateBitsPerSecond;
    private int _bucketBytes = 1500;
    private int _queueLimit = 100;
    private double _tokensBits;
    private long _tokensAt;

    private int _sending;
    private long _forwarded, _droppedByLoss, _droppedByQueue;
    private long _maxLateness;

    public ImpairedPath(int seed = 1)
    {
        _random = new Random(seed);
        _tokensAt = Stopwatch.GetTimestamp();
        _tokensBits = _bucketBytes * 8.0;
        _thread = new Thread(SchedulerLoop) { IsBackground = true, Name = "ImpairedPath" };
        _thread.Start();
    }

    /// <summary>Fixed one-way delay.</summary>
    public TimeSpan Delay
    {
        get => Stopwatch.GetElapsedTime(0, Volatile.Read(ref _delayTicks));
        set => Set(ref _delayTicks, ToTicks(value));
    }

    /// <summary>Uniform jitter: each datagram's delay is Delay + U(-Jitter, +Jitter), never below zero.</summary>
    public TimeSpan Jitter
    {
        get => Stopwatch.GetElapsedTime(0, Volatile.Read(ref _jitterTicks));
        set => Set(ref _jitterTicks, ToTicks(value));
    }

    /// <summary>When false (the default) jitter never lets a datagram overtake an earlier one.</summary>
    public bool AllowReordering
    {
        get { lock (_gate) return _allowReordering; }
        set { lock (_gate) _allowReordering = value; }
    }

    /// <summary>Independent (Bernoulli) loss probability per datagram, 0..1.</summary>
    public double LossProbability
    {
        get { lock (_gate) return _lossProbability; }
        set { lock (_gate) _lossProbability = Math.Clamp(value, 0, 1); }
    }

    /// <summary>Rate cap in bits per second (IP payload bytes × 8); 0 means no cap.</summary>
    public long RateBitsPerSecond
    {
        get { lock (_gate) return _rateBitsPerSecond; }
        set
        {
            lock (_gate)
            {
                Refill(Stopwatch.GetTimestamp());
                _rateBitsPerSecond = Math.Max(0, value);
                Monitor.Pulse(_gate);
            }
        }
    }

    /// <summary>Token bucket depth in bytes (the largest burst sent at line rate); at least one datagram.</summary>
    public int BucketBytes
    {
        get { lock (_gate) return _bucketBytes; }
        set
        {
            lock (_gate)
            {
                _bucketBytes = Math.Max(1, value);
                _tokensBits = Math.Min(_tokensBits, _bucketBytes * 8.0);
            }
        }
    }

    /// <summary>Datagrams the rate cap may hold waiting for tokens; more are tail-dropped.</summary>
    public int QueueLimit
    {
        get { lock (_gate) return _queueLimit; }
        set { lock (_gate) _queueLimit = Math.Max(0, value); }
    }

    /// <summary>
    /// The most a datagram left after its due time since the last call (the relay itself starved of CPU), then
    /// resets: a test can tell a stalled relay from a stalled server.
    /// </summary>
    public TimeSpan TakeMaxLateness()
    {
        lock (_gate)
        {
            long late = _maxLateness;
            _maxLateness = 0;
            return Stopwatch.GetElapsedTime(0, late);
        }
    }

    /// <summary>Datagrams sent on.</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <summary>Datagrams dropped by independent or burst loss.</summary>
    public long DroppedByLoss => Interlocked.Read(ref _droppedByLoss);

    /// <summary>Datagrams tail-dropped because the rate cap's queue was full.</summary>
    public long DroppedByQueue => Interlocked.Read(ref _droppedByQueue);

    /// <summary>Datagrams accepted but not yet sent (in the rate queue or waiting out their delay).</summary>
    public int InFlight
    {
        get { lock (_gate) return _shaper.Count + _delayed.Count + _sending; }
    }

    /// <summary>
    /// Gilbert-Elliott burst loss: <paramref name="p"/> = P(good → bad), <paramref name="r"/> = P(bad → good) per
    /// datagram; a datagram is lost with <paramref name="lossInBad"/> in the bad state and
    /// <paramref name="lossInGood"/> in the good one. Mean burst length 1/r, loss rate ≈ p/(p+r)·lossInBad.
    /// p = 0 turns it off.
    /// </summary>
    public void SetBurstLoss(double p, double r, double lossInBad = 1, double lossInGood = 0)
    {
        lock (_gate)
        {
            _burstP = Math.Clamp(p, 0, 1);
            _burstR = Math.Clamp(r, 0, 1);
            _lossInBad = Math.Clamp(lossInBad, 0, 1);
            _lossInGood = Math.Clamp(lossInGood, 0, 1);
            if (_burstP == 0)
            {
                _burstBad = false;
            }
        }
    }

    /// <summary>Takes a copy of <paramref name="datagram"/> through the impairments, then sends it from
    /// <paramref name="socket"/> to <paramref name="destination"/> (send errors are ignored, as a network would).</summary>
    public void Send(Socket socket, ReadOnlySpan<byte> datagram, EndPoint destination)
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }
            if (IsLost())
            {
                _droppedByLoss++;
                return;
            }
            long now = Stopwatch.GetTimestamp();
            bool direct = true;
            if (_rateBitsPerSecond > 0 || _shaper.Count > 0)
            {
                // The queue is FIFO: a datagram passes straight through only when nothing waits and tokens suffice.
                if (_shaper.Count == 0 && HasTokens(now, datagram.Length))
                {
                    _tokensBits -= _rateBitsPerSecond > 0 ? datagram.Length * 8.0 : 0;
                }
                else if (_shaper.Count >= _queueLimit)
                {
                    _droppedByQueue++;
                    return;
                }
                else
                {
                    direct = false;
                }
            }
            byte[] buffer = ArrayPool<byte>.Shared.Rent(datagram.Length);
            datagram.CopyTo(buffer);
            var d = new Datagram(socket, destination, buffer, datagram.Length);
            if (direct)
            {
                Schedule(d, now);
            }
            else
            {
                _shaper.Enqueue(d);
            }
            Monitor.Pulse(_gate);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopped = true;
            Monitor.Pulse(_gate);
        }
        _thread.Join();
        foreach (Datagram d in _shaper)
        {
            ArrayPool<byte>.Shared.Return(d.Buffer);
        }
        while (_delayed.TryDequeue(out Datagram d, out _))
        {
            ArrayPool<byte>.Shared.Return(d.Buffer);
        }
        _shaper.Clear();
    }

    private bool IsLost()
    {
        bool lost = _lossProbability > 0 && _random.NextDouble() < _lossProbability;
        if (_burstP > 0)
        {
            double stateLoss = _burstBad ? _lossInBad : _lossInGood;
            lost |= stateLoss > 0 && _random.NextDouble() < stateLoss;
            _burstBad = _burstBad ? _random.NextDouble() >= _burstR : _random.NextDouble() < _burstP;
        }
        return lost;
    }

    private bool HasTokens(long now, int length)
    {
        Refill(now);
        return _rateBitsPerSecond == 0 || _tokensBits >= length * 8.0;
    }

    private void Refill(long now)
    {
        if (_rateBitsPerSecond > 0)
        {
            double add = (now - _tokensAt) * (double)_rateBitsPerSecond / Stopwatch.Frequency;
            _tokensBits = Math.Min(_bucketBytes * 8.0, _tokensBits + add);
        }
        else
        {
            _tokensBits = _bucketBytes * 8.0;
        }
        _tokensAt = now;
    }

    // Gives a datagram that left the rate queue its delay + jitter.
    private void Schedule(Datagram d, long now)
    {
        long delay = _delayTicks;
        if (_jitterTicks > 0)
        {
            delay += (long)(((_random.NextDouble() * 2) - 1) * _jitterTicks);
        }
        long due = now + Math.Max(0, delay);
        if (!_allowReordering)
        {
            due = Math.Max(due, _lastDue);
        }
        _lastDue = Math.Max(_lastDue, due);
        _delayed.Enqueue(d, (due, _order++));
    }

    private void SchedulerLoop()
    {
        while (true)
        {
            long wait;
            lock (_gate)
            {
                if (_stopped)
                {
                    return;
                }
                long now = Stopwatch.GetTimestamp();
                Refill(now);
                long next = long.MaxValue;
                while (_shaper.Count > 0)
                {
                    Datagram head = _shaper.Peek();
                    double need = head.Length * 8.0;
                    if (_rateBitsPerSecond > 0 && _tokensBits < need)
                    {
                        long ready = now + (long)Math.Ceiling((need - _tokensBits) * Stopwatch.Frequency / _rateBitsPerSecond);
                        next = Math.Min(next, ready);
                        break;
                    }
                    if (_rateBitsPerSecond > 0)
                    {
                        _tokensBits -= need;
                    }
                    Schedule(_shaper.Dequeue(), now);
                }
                while (_delayed.TryPeek(out Datagram d, out var key))
                {
                    if (key.Due > now)
                    {
                        next = Math.Min(next, key.Due);
                        break;
                    }
                    _delayed.Dequeue();
                    _maxLateness = Math.Max(_maxLateness, now - key.Due);
                    _due.Add(d);
                }
                _sending = _due.Count;
                wait = next == long.MaxValue ? -1 : next - now;
                if (_due.Count == 0 && wait != 0)
                {
                    // Long waits on the monitor (a new datagram or setting wakes it); the last millisecond or
                    // two with a high-resolution sleep, since monitor timeouts round to whole milliseconds.
                    long twoMs = Stopwatch.Frequency / 500;
                    if (wait < 0 || wait > twoMs)
                    {
                        int ms = wait < 0 ? Timeout.Infinite : (int)Math.Min(int.MaxValue, (wait - twoMs / 2) * 1000 / Stopwatch.Frequency);
                        Monitor.Wait(_gate, ms);
                        continue;
                    }
                }
            }
            if (_due.Count == 0)
            {
                PreciseSleep(wait);
                continue;
            }
            foreach (Datagram d in _due)
            {
                try
                {
                    d.Socket.SendTo(d.Buffer.AsSpan(0, d.Length), SocketFlags.None, d.Destination);
                    Interlocked.Increment(ref _forwarded);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                }
                ArrayPool<byte>.Shared.Return(d.Buffer);
            }
            _due.Clear();
            lock (_gate)
            {
                _sending = 0;
            }
        }
    }

    private static void PreciseSleep(long stopwatchTicks)
    {
        long ns = stopwatchTicks * 1_000_000_000 / Stopwatch.Frequency;
        if (OperatingSystem.IsLinux() && ns > 0)
        {
            var request = new TimeSpec { Seconds = ns / 1_000_000_000, Nanoseconds = ns % 1_000_000_000 };
            _ = NanoSleep(ref request, IntPtr.Zero);
        }
        else
        {
            Thread.Yield();
        }
    }

    private static long ToTicks(TimeSpan value) =>
        Math.Max(0, (long)(value.TotalSeconds * Stopwatch.Frequency));

    private void Set(ref long field, long value)
    {
        lock (_gate)
        {
            field = value;
            Monitor.Pulse(_gate);
        }
    }

    [DllImport("libc", EntryPoint = "nanosleep", SetLastError = false)]
    private static extern int NanoSleep(ref TimeSpec request, IntPtr remaining);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private readonly record struct Datagram(Socket Socket, EndPoint Destination, byte[] Buffer, int Length);
}
