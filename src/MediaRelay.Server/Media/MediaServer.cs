using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MediaRelay.Core;
using MediaRelay.Dtls;
using MediaRelay.Server.Diagnostics;
using MediaRelay.Server.Options;
using MediaRelay.Transport.Ice;
using MediaRelay.Transport.Stun;
using MediaRelay.Transport.Udp;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaRelay.Server.Media;

/// <summary>
/// Owns the one media UDP port: demultiplexes each datagram by its first byte (RFC 7983 §7) and dispatches to the
/// peer found by ICE username (STUN) or by source address (DTLS, SRTP). Runs the packet path synchronously on the
/// socket's receive thread; the packet is released when dispatch returns.
/// </summary>
public sealed partial class MediaServer : IHostedService, IUdpPacketHandler, IUdpLoopTimer, IDisposable
{
    private readonly MediaRelayOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger<MediaServer> _logger;
    private readonly ConcurrentDictionary<string, WebRtcPeer> _peersByUfrag = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, WebRtcPeer>.AlternateLookup<ReadOnlySpan<char>> _ufragLookup;
    private readonly ConcurrentDictionary<SocketAddress, WebRtcPeer> _peersByAddress = new(SocketAddressComparer.Instance);
    private readonly byte[] _stunResponse = GC.AllocateUninitializedArray<byte>(512, pinned: true);
    private PacketPool? _pool;
    private UdpMediaSocket? _socket;
    private static readonly TimeSpan CertificateRotation = TimeSpan.FromDays(7);
    private readonly object _certificateLock = new();
    private DtlsCertificate _certificate;
    private long _certificateCreated;
    private Timer? _janitor;
    private readonly object _tickLock = new();
    private WebRtcPeer[] _tickPeers = [];
    private IMediaLoopTicker[] _tickers = [];

    public MediaServer(IOptions<MediaRelayOptions> options, BadInputLog badInput, ILoggerFactory loggers)
    {
        _options = options.Value;
        _loggers = loggers;
        _logger = loggers.CreateLogger<MediaServer>();
        BadInput = badInput;
        _ufragLookup = _peersByUfrag.GetAlternateLookup<ReadOnlySpan<char>>();
        _certificate = DtlsCertificate.Generate();
        _certificateCreated = Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// The DTLS certificate new peers get. It is valid for 30 days and replaced after 7, so a long-running server
    /// never offers an expiring one; peers keep the certificate they started with.
    /// </summary>
    public DtlsCertificate Certificate
    {
        get
        {
            if (Stopwatch.GetElapsedTime(_certificateCreated) > CertificateRotation)
            {
                lock (_certificateLock)
                {
                    if (Stopwatch.GetElapsedTime(_certificateCreated) > CertificateRotation)
                    {
                        _certificate = DtlsCertificate.Generate();
                        _certificateCreated = Stopwatch.GetTimestamp();
                    }
                }
            }
            return _certificate;
        }
    }
    public BadInputLog BadInput { get; }
    public UdpMediaSocket Socket => _socket ?? throw new InvalidOperationException("Media server not started.");

    /// <summary>True once the media socket is bound and its receive loop runs (health checks).</summary>
    public bool IsRunning => _socket is { IsReceiveLoopFinished: false };

    /// <summary>Time since the media loop's last tick (ticks are due every 5 ms), or null before the first.</summary>
    public TimeSpan? SinceLastTick
    {
        get
        {
            long last = Volatile.Read(ref _lastTick);
            return last == 0 ? null : System.Diagnostics.Stopwatch.GetElapsedTime(last);
        }
    }
    public PacketPool Pool => _pool ?? throw new InvalidOperationException("Media server not started.");

    /// <summary>The address and port announced as our host candidate.</summary>
    public IPEndPoint AnnouncedEndPoint { get; private set; } = new(IPAddress.Loopback, 0);

    public int PeerCount => _peersByUfrag.Count;

    private long _lastTick;
    private long _maxTickGap;

    /// <summary>
    /// The longest gap between two media-loop ticks since the last call (they should come every 5 ms; a long gap
    /// means the loop was blocked or starved), then resets. Any thread.
    /// </summary>
    public TimeSpan TakeMaxTickGap() => Stopwatch.GetElapsedTime(0, Interlocked.Exchange(ref _maxTickGap, 0));

    /// <summary>The live peers (a snapshot, for diagnostics and tests).</summary>
    public IReadOnlyCollection<WebRtcPeer> Peers => [.. _peersByUfrag.Values];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        MediaOptions media = _options.Media;
        var bind = new IPEndPoint(IPAddress.Parse(media.BindAddress), media.Port);
        _pool = new PacketPool(media.PacketPoolSize);
        _socket = new UdpMediaSocket(bind, _pool, this);
        _socket.Start();
        var local = (IPEndPoint)_socket.LocalEndPoint;
        IPAddress announced = string.IsNullOrWhiteSpace(media.AnnouncedAddress)
            ? local.Address
            : IPAddress.Parse(media.AnnouncedAddress);
        AnnouncedEndPoint = new IPEndPoint(announced, media.AnnouncedPort ?? local.Port);
        _janitor = new Timer(_ => CheckPeers(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        LogStarted(_logger, local.ToString(), AnnouncedEndPoint.ToString(), Certificate.Fingerprint);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _janitor?.Dispose();
        foreach (WebRtcPeer peer in _peersByUfrag.Values)
        {
            peer.Close("server stopping");
        }
        _socket?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _janitor?.Dispose();
        _socket?.Dispose();
    }

    /// <summary>Creates a peer with fresh ICE credentials, reachable by its local ufrag.</summary>
    public WebRtcPeer CreatePeer(string participantId)
    {
        var peer = new WebRtcPeer(this, participantId, _options.Media.ConsentTimeout, _options.Media.MaxIncomingBitrate,
            _options.Media.InitialSubscriberBitrate, _loggers.CreateLogger<WebRtcPeer>());
        _peersByUfrag[peer.LocalIce.LocalUfrag] = peer;
        lock (_tickLock)
        {
            _tickPeers = [.. _tickPeers, peer];
        }
        return peer;
    }

    internal void Unregister(WebRtcPeer peer)
    {
        lock (_tickLock)
        {
            _tickPeers = Array.FindAll(_tickPeers, p => p != peer);
        }
        _peersByUfrag.TryRemove(peer.LocalIce.LocalUfrag, out _);
        foreach (KeyValuePair<SocketAddress, WebRtcPeer> entry in _peersByAddress)
        {
            if (entry.Value == peer)
            {
                _peersByAddress.TryRemove(entry.Key, out _);
            }
        }
    }

    internal static SocketAddress Clone(SocketAddress address)
    {
        var copy = new SocketAddress(address.Family, address.Size);
        address.Buffer.Span[..address.Size].CopyTo(copy.Buffer.Span);
        return copy;
    }

    /// <summary>Adds periodic media-loop work (a room's speaker detector).</summary>
    public void AddTicker(IMediaLoopTicker ticker)
    {
        lock (_tickLock)
        {
            _tickers = [.. _tickers, ticker];
        }
    }

    public void RemoveTicker(IMediaLoopTicker ticker)
    {
        lock (_tickLock)
        {
            _tickers = Array.FindAll(_tickers, t => t != ticker);
        }
    }

    /// <summary>Every 5 ms on the receive thread: each peer's pacer and reports, then the rooms' tickers.</summary>
    public void OnTick(long timestamp)
    {
        if (_lastTick != 0)
        {
            long gap = timestamp - _lastTick;
            if (gap > Volatile.Read(ref _maxTickGap))
            {
                Volatile.Write(ref _maxTickGap, gap);
            }
            MediaMetrics.ObserveLoopGap(gap);
        }
        Volatile.Write(ref _lastTick, timestamp);
        WebRtcPeer[] peers = Volatile.Read(ref _tickPeers);
        for (int i = 0; i < peers.Length; i++)
        {
            peers[i].OnTick(timestamp);
        }
        IMediaLoopTicker[] tickers = Volatile.Read(ref _tickers);
        for (int i = 0; i < tickers.Length; i++)
        {
            tickers[i].OnMediaLoopTick(timestamp);
        }
    }

    /// <summary>The packet path: one call per datagram, on the receive thread.</summary>
    public void OnPacket(PooledPacket packet)
    {
        try
        {
            MediaMetrics.PacketReceived(packet.Length);
            switch (PacketDemux.Classify(packet.Span))
            {
                case PacketKind.Stun:
                    OnStun(packet);
                    break;
                case PacketKind.Dtls:
                    if (_peersByAddress.TryGetValue(packet.RemoteAddress, out WebRtcPeer? dtlsPeer))
                    {
                        dtlsPeer.OnDtlsDatagram(packet.Span);
                    }
                    else
                    {
                        BadInput.Drop(DropReason.DtlsUnknownAddress);
                    }
                    break;
                case PacketKind.Rtp:
                    if (_peersByAddress.TryGetValue(packet.RemoteAddress, out WebRtcPeer? rtpPeer))
                    {
                        rtpPeer.OnSrtp(packet);
                    }
                    else
                    {
                        BadInput.Drop(DropReason.SrtpUnknownAddress);
                    }
                    break;
                default:
                    BadInput.Drop(DropReason.UnknownProtocol);
                    break;
            }
        }
        finally
        {
            packet.Release();
        }
    }

    private void OnStun(PooledPacket packet)
    {
        if (StunMessage.TryParse(packet.Span, out StunMessage message) != StunParseStatus.Ok)
        {
            BadInput.Drop(DropReason.StunMalformed);
            return;
        }
        if (message.MessageType != StunMessageType.BindingRequest)
        {
            // Indications and responses need no answer from an ICE-lite agent (RFC 8445 §2.5).
            return;
        }
        if (!StunUsername.TrySplit(message.Username, out ReadOnlySpan<byte> localUfrag, out _)
            || localUfrag.Length > 256)
        {
            BadInput.Drop(DropReason.StunBadRequest);
            return;
        }
        Span<char> ufrag = stackalloc char[localUfrag.Length];
        Encoding.ASCII.GetChars(localUfrag, ufrag);
        if (!_ufragLookup.TryGetValue(ufrag, out WebRtcPeer? peer))
        {
            BadInput.Drop(DropReason.StunUnknownUser);
            return;
        }
        IceCheckOutcome outcome = peer.Ice.HandleBindingRequest(message, packet.RemoteAddress, _stunResponse,
            out int responseLength, packet.ReceivedTimestamp);
        if (responseLength > 0)
        {
            _socket!.SendTo(_stunResponse.AsSpan(0, responseLength), packet.RemoteAddress);
            MediaMetrics.DatagramSent(responseLength);
        }
        switch (outcome)
        {
            case IceCheckOutcome.Accepted:
            case IceCheckOutcome.Nominated:
                if (!_peersByAddress.ContainsKey(packet.RemoteAddress))
                {
                    _peersByAddress[Clone(packet.RemoteAddress)] = peer;
                }
                peer.OnIceCheckAccepted(packet.RemoteAddress, outcome == IceCheckOutcome.Nominated);
                break;
            case IceCheckOutcome.Unauthorized:
                BadInput.Drop(DropReason.StunUnauthorized);
                break;
            case IceCheckOutcome.UnknownUsername:
                BadInput.Drop(DropReason.StunUnknownUser);
                break;
            case IceCheckOutcome.Ignored:
                break;
            default:
                BadInput.Drop(DropReason.StunBadRequest);
                break;
        }
    }

    /// <summary>Once a second: drop peers whose consent expired (RFC 7675 §5.1) or that never connected.</summary>
    private void CheckPeers()
    {
        long now = Stopwatch.GetTimestamp();
        long connectTimeout = (long)(_options.Media.ConnectTimeout.TotalSeconds * Stopwatch.Frequency);
        // The tick list, not the dictionary's Values (a copied array every second, the server's largest steady
        // allocation once the packet path allocates nothing).
        WebRtcPeer[] peers = Volatile.Read(ref _tickPeers);
        foreach (WebRtcPeer peer in peers)
        {
            try
            {
                if (peer.IsConnected && peer.Ice.IsConsentExpired(now))
                {
                    peer.Close("ICE consent expired");
                }
                else if (!peer.IsConnected && peer.RemoteConfiguredTimestamp != 0
                         && now - peer.RemoteConfiguredTimestamp > connectTimeout)
                {
                    peer.Close("ICE/DTLS did not complete in time");
                }
            }
            catch (Exception e)
            {
                LogJanitorError(_logger, e);
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Media port {Local} (announced {Announced}), DTLS fingerprint sha-256 {Fingerprint}")]
    private static partial void LogStarted(ILogger logger, string local, string announced, string fingerprint);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Peer check failed")]
    private static partial void LogJanitorError(ILogger logger, Exception e);
}
