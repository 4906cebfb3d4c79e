using System.Diagnostics;

namespace MediaRelay.Recording.Capture;

/// <summary>
/// The writer thread of one recording: drains the tap queue into each track's sink, releases every packet, asks
/// the sinks to flush at least every second, and stops the recording cleanly on the first disk error (the error
/// and what was lost are reported; the call itself is never touched). The media loop only ever enqueues.
/// </summary>
public sealed class RecordingWriter : IDisposable
{
    private static readonly long FlushCheckTicks = Stopwatch.Frequency / 10;

    private readonly TapQueue _queue;
    private readonly ITrackSink?[] _sinks;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stopped = new();
    private readonly object _gate = new();
    private volatile bool _stopping;
    private long _written;
    private long _discarded;
    private long _writtenPackets;

    public RecordingWriter(TapQueue queue, int maxTracks, string name)
    {
        _queue = queue;
        _sinks = new ITrackSink?[maxTracks];
        _thread = new Thread(Run) { IsBackground = true, Name = "rec " + name };
    }

    /// <summary>The first disk error (then the writer has stopped writing), or null.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Raised once, on the writer thread, when a sink fails.</summary>
    public event Action<RecordingWriter, Exception>? Failed;

    public long Written => Interlocked.Read(ref _written);

    /// <summary>Items taken off the queue but not written: after a failure, or for a track without a sink.</summary>
    public long Discarded => Interlocked.Read(ref _discarded);

    /// <summary>RTP packets appended to journals (<see cref="Written"/> also counts sender reports).</summary>
    public long WrittenPackets => Interlocked.Read(ref _writtenPackets);

    public int QueueDepth => _queue.Count;

    public void Start() => _thread.Start();

    /// <summary>Installs a track's sink before its tap is attached (control plane).</summary>
    public void SetSink(int track, ITrackSink sink)
    {
        lock (_gate)
        {
            Volatile.Write(ref _sinks[track], sink);
        }
    }

    /// <summary>Drains what is queued, completes every sink and ends the thread.</summary>
    public void Stop()
    {
        _stopping = true;
        if (_thread.IsAlive)
        {
            _stopped.Wait(TimeSpan.FromSeconds(30));
        }
    }

    private void Run()
    {
        long nextFlush = Stopwatch.GetTimestamp() + FlushCheckTicks;
        try
        {
            while (true)
            {
                bool stopping = _stopping;
                int drained = Drain();
                long now = Stopwatch.GetTimestamp();
                if (now >= nextFlush)
                {
                    nextFlush = now + FlushCheckTicks;
                    Flush(now);
                }
                if (stopping && drained == 0)
                {
                    break;
                }
                if (drained == 0)
                {
                    Thread.Sleep(5);
                }
            }
            Complete();
        }
        finally
        {
            _stopped.Set();
        }
    }

    private int Drain()
    {
        int drained = 0;
        while (_queue.TryDequeue(out TapItem item))
        {
            drained++;
            try
            {
                ITrackSink? sink = item.Track < _sinks.Length ? Volatile.Read(ref _sinks[item.Track]) : null;
                if (sink is null || Failure is not null)
                {
                    Interlocked.Increment(ref _discarded);
                    continue;
                }
                if (item.Packet is { } packet)
                {
                    sink.AppendRtp(packet.Buffer.AsSpan(0, item.Length), item.Timestamp);
                    Interlocked.Increment(ref _writtenPackets);
                }
                else
                {
                    sink.AppendSenderReport(item.NtpTimestamp, item.RtpTimestamp, item.Timestamp);
                }
                Interlocked.Increment(ref _written);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Fail(e);
                Interlocked.Increment(ref _discarded);
            }
            finally
            {
                item.Packet?.Release();
            }
        }
        return drained;
    }

    private void Flush(long now)
    {
        if (Failure is not null)
        {
            return;
        }
        foreach (ITrackSink? sink in _sinks)
        {
            try
            {
                sink?.MaybeFlush(now);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Fail(e);
                return;
            }
        }
    }

    private void Complete()
    {
        foreach (ITrackSink? sink in _sinks)
        {
            try
            {
                sink?.Complete();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Fail(e);
            }
        }
    }

    private void Fail(Exception e)
    {
        if (Failure is not null)
        {
            return;
        }
        Failure = e;
        Failed?.Invoke(this, e);
    }

    public void Dispose()
    {
        Stop();
        _stopped.Dispose();
    }
}
