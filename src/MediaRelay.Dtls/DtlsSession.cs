using MediaRelay.Core;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace MediaRelay.Dtls;

/// <summary>
/// One peer's DTLS-SRTP association (RFC 5764, RFC 5763). The UDP thread hands in datagrams with
/// <see cref="OnDatagram"/> (copy into a bounded queue, never blocks); the BouncyCastle handshake runs on a
/// dedicated background thread, reports SRTP keys through <see cref="IDtlsSessionListener"/>, then keeps a
/// small receive loop so close_notify or a fatal alert ends the session. Application data is ignored.
/// </summary>
public sealed class DtlsSession : IDisposable
{
    // After the handshake the thread only waits for close_notify or an alert. BouncyCastle allocates a record buffer
    // and a timeout per Receive call, so a short wait would allocate ~25 KB per session every few seconds (0.4 MB/s
    // with 80 sessions, measured by the load tool): wait as long as BouncyCastle allows; Dispose and a closed
    // transport end the wait at once.
    private const int ReceiveLoopWaitMillis = int.MaxValue;
    private const int DisposeJoinMillis = 5000;

    private readonly DtlsCertificate _certificate;
    private readonly DtlsPeerVerifier _verifier;
    private readonly IDtlsSessionListener _listener;
    private readonly DtlsSessionOptions _options;
    private readonly QueueDatagramTransport _transport;
    private readonly object _gate = new();
    private Thread? _thread;
    private DtlsTransport? _connection;
    private int _state;
    private bool _disposed;

    public DtlsSession(DtlsCertificate local, DtlsRole role, string remoteFingerprintAlgorithm,
        string remoteFingerprint, IDtlsPacketSender sender, IDtlsSessionListener listener,
        DtlsSessionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(remoteFingerprintAlgorithm);
        ArgumentNullException.ThrowIfNull(remoteFingerprint);
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(listener);
        options ??= new DtlsSessionOptions();
        Validate(options);

        _certificate = local;
        Role = role;
        _verifier = new DtlsPeerVerifier(remoteFingerprintAlgorithm, remoteFingerprint);
        _listener = listener;
        _options = options;
        _transport = new QueueDatagramTransport(sender, options.Mtu, options.InboundQueueCapacity);
    }

    public DtlsRole Role { get; }

    public DtlsSessionState State => (DtlsSessionState)Volatile.Read(ref _state);

    /// <summary>Inbound datagrams dropped (queue full, oversize, or after the session ended).</summary>
    public long DroppedDatagrams => _transport.DroppedCount;

    /// <summary>True while the session thread runs (handshake or receive loop).</summary>
    internal bool IsThreadAlive => _thread?.IsAlive ?? false;

    /// <summary>Starts the handshake on a dedicated background thread. Call once.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                ThrowHelper.ThrowInvalidOperation("The DTLS session is disposed.");
            }

            if (_state != (int)DtlsSessionState.New)
            {
                ThrowHelper.ThrowInvalidOperation("The DTLS session was already started.");
            }

            Volatile.Write(ref _state, (int)DtlsSessionState.Connecting);
            _thread = new Thread(Run) { IsBackground = true, Name = "dtls-" + Role.ToString().ToLowerInvariant() };
            _thread.Start();
        }
    }

    /// <summary>
    /// Hands one DTLS datagram (RFC 7983 first byte 20..63) to the session. Called on the UDP thread: copies,
    /// never blocks, never throws; drops and counts when the queue is full. Datagrams before Start are kept.
    /// </summary>
    public void OnDatagram(ReadOnlySpan<byte> datagram) => _transport.Enqueue(datagram);

    /// <summary>Sends close_notify if connected, cancels any wait and ends the thread promptly. No listener call.</summary>
    public void Dispose()
    {
        Thread? thread;
        DtlsTransport? connection;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            thread = _thread;
            connection = _connection;
            Volatile.Write(ref _state, (int)DtlsSessionState.Closed);
        }

        if (connection is not null)
        {
            try
            {
                connection.Close();
            }
            catch (Exception)
            {
                // Best effort close_notify; the peer also learns from ICE consent expiry.
            }
        }

        _transport.Cancel();
        if (thread is not null && thread != Thread.CurrentThread)
        {
            thread.Join(DisposeJoinMillis);
        }
    }

    private void Run()
    {
        IDtlsHandshakePeer? peer = null;
        DtlsTransport connection;
        try
        {
            var crypto = new BcTlsCrypto(new SecureRandom());
            if (Role == DtlsRole.Server)
            {
                var server = new DtlsServer(crypto, _certificate, _verifier, _options);
                peer = server;
                connection = new DtlsServerProtocol().Accept(server, _transport);
            }
            else
            {
                var client = new DtlsClient(crypto, _certificate, _verifier, _options);
                peer = client;
                connection = new DtlsClientProtocol().Connect(client, _transport);
            }
        }
        catch (Exception e)
        {
            Fail(DtlsFailureReason.Describe(e, peer?.FailureReason));
            return;
        }

        DtlsSrtpKeys? keys = peer.Keys;
        lock (_gate)
        {
            if (_disposed)
            {
                CloseQuietly(connection);
                return;
            }

            if (keys is null)
            {
                Volatile.Write(ref _state, (int)DtlsSessionState.Failed);
            }
            else
            {
                _connection = connection;
                Volatile.Write(ref _state, (int)DtlsSessionState.Connected);
            }
        }

        if (keys is null)
        {
            CloseQuietly(connection);
            _transport.Cancel();
            NotifyFailed("no SRTP keys were negotiated");
            return;
        }

        NotifyConnected(keys);
        ReceiveUntilClosed(connection);
    }

    private void ReceiveUntilClosed(DtlsTransport connection)
    {
        try
        {
            byte[] buffer = new byte[Math.Max(connection.GetReceiveLimit(), 1)];
            while (!_transport.IsClosed)
            {
                // Application data (data channels) is not handled yet: read and drop.
                connection.Receive(buffer, 0, buffer.Length, ReceiveLoopWaitMillis);
            }
        }
        catch (Exception)
        {
            // close_notify, a fatal alert, or Dispose: all end the session below.
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            Volatile.Write(ref _state, (int)DtlsSessionState.Closed);
        }

        CloseQuietly(connection);
        _transport.Cancel();
        NotifyClosed();
    }

    private void Fail(string reason)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            Volatile.Write(ref _state, (int)DtlsSessionState.Failed);
        }

        _transport.Cancel();
        NotifyFailed(reason);
    }

    // A listener's exception must not escape the session thread (an unhandled exception ends the process).
    private void NotifyConnected(DtlsSrtpKeys keys)
    {
        try
        {
            _listener.OnDtlsConnected(this, keys);
        }
        catch (Exception)
        {
            // Swallowed: see above.
        }
    }

    private void NotifyFailed(string reason)
    {
        try
        {
            _listener.OnDtlsFailed(this, reason);
        }
        catch (Exception)
        {
            // Swallowed: see NotifyConnected.
        }
    }

    private void NotifyClosed()
    {
        try
        {
            _listener.OnDtlsClosed(this);
        }
        catch (Exception)
        {
            // Swallowed: see NotifyConnected.
        }
    }

    private static void CloseQuietly(DtlsTransport connection)
    {
        try
        {
            connection.Close();
        }
        catch (Exception)
        {
            // Ignore: the transport is going away.
        }
    }

    private static void Validate(DtlsSessionOptions options)
    {
        if (options.HandshakeTimeout <= TimeSpan.Zero)
        {
            ThrowHelper.ThrowArgument("HandshakeTimeout must be positive.", nameof(options));
        }

        if (options.Mtu < 256 || options.Mtu > QueueDatagramTransport.MaxDatagramLength)
        {
            ThrowHelper.ThrowArgument("Mtu must be between 256 and 18432.", nameof(options));
        }

        if (options.InboundQueueCapacity < 1)
        {
            ThrowHelper.ThrowArgument("InboundQueueCapacity must be at least 1.", nameof(options));
        }

        if (options.SrtpProfiles is null || options.SrtpProfiles.Count == 0)
        {
            ThrowHelper.ThrowArgument("At least one SRTP profile is required.", nameof(options));
        }

        for (int i = 0; i < options.SrtpProfiles.Count; i++)
        {
            if (!DtlsSrtpProfile.IsSupported(options.SrtpProfiles[i]))
            {
                ThrowHelper.ThrowArgument("Unsupported SRTP profile " + options.SrtpProfiles[i] + ".", nameof(options));
            }
        }
    }
}
