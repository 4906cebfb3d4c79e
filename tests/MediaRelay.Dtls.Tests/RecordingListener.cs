using MediaRelay.Dtls;

namespace MediaRelay.Dtls.Tests;

/// <summary>Test listener: records the first outcome and signals waiters.</summary>
internal sealed class RecordingListener : IDtlsSessionListener
{
    private readonly ManualResetEventSlim _outcome = new();
    private readonly ManualResetEventSlim _closed = new();
    private int _callbacks;

    public DtlsSrtpKeys? Keys { get; private set; }

    public string? FailureReason { get; private set; }

    public int Callbacks => Volatile.Read(ref _callbacks);

    public bool IsClosed => _closed.IsSet;

    public string? CallbackThreadName { get; private set; }

    public void OnDtlsConnected(DtlsSession session, DtlsSrtpKeys keys)
    {
        Interlocked.Increment(ref _callbacks);
        CallbackThreadName = Thread.CurrentThread.Name;
        Keys = keys;
        _outcome.Set();
    }

    public void OnDtlsFailed(DtlsSession session, string reason)
    {
        Interlocked.Increment(ref _callbacks);
        CallbackThreadName = Thread.CurrentThread.Name;
        FailureReason = reason;
        _outcome.Set();
    }

    public void OnDtlsClosed(DtlsSession session)
    {
        Interlocked.Increment(ref _callbacks);
        _closed.Set();
    }

    public bool WaitOutcome(int millis = 15000) => _outcome.Wait(millis);

    public bool WaitClosed(int millis = 15000) => _closed.Wait(millis);
}
