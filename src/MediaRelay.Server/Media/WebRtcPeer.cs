using System.Diagnostics;
using System.Net;
using MediaRelay.Core;
using MediaRelay.Dtls;
using MediaRelay.Rtp;
using MediaRelay.Rtp.Rtcp;
using MediaRelay.Server.Diagnostics;
using MediaRelay.Sfu;
using MediaRelay.Sfu.Rtcp;
using MediaRelay.Sfu.Bwe;
using MediaRelay.Sfu.Pacing;
using MediaRelay.Srtp;
using MediaRelay.Transport.Ice;
using MediaRelay.Transport.Stun;
using MediaRelay.Transport.Udp;
using Microsoft.Extensions.Logging;

namespace MediaRelay.Server.Media;

/// <summary>
/// One participant's WebRTC transport: ICE-lite responder, DTLS-SRTP handshake and the SRTP contexts of both
/// directions. Inbound SRTP is decrypted in place and handed to the producers this peer publishes; outbound RTP from
/// consumers is protected in the consumer's buffer and sent. Every SRTP operation runs on the media loop thread.
/// </summary>
public sealed partial class WebRtcPeer : IRtpEgress, IPublisherFeedback, IDtlsPacketSender, IDtlsSessionListener
{
    private readonly MediaServer _server;
    private readonly ILogger _logger;
    private readonly byte[] _rtcpBuffer = GC.AllocateUninitializedArray<byte>(512, pinned: true);
    private readonly uint _rtcpSenderSsrc = (uint)Random.Shared.Next(1, int.MaxValue);
    private readonly PeerRtcpReporter _reporter;
    private readonly PeerSendPath _sendPath;
    private readonly TransportFeedbackRecorder _feedbackRecorder = new();
    private readonly byte[] _feedbackBuffer =
        GC.AllocateUninitializedArray<byte>(TransportFeedbackRecorder.MaxFeedbackLength + Consumer.ProtectionHeadroom, pinned: true);
    private long _nextFeedback;
    private DtlsSession? _dtls;
    private SrtpContext? _srtpIn;
    private SrtpContext? _srtpOut;
    private SocketAddress? _remote;
    private volatile bool _closed;
    private readonly object _mediaLock = new();
    private PeerMediaTable _media = PeerMediaTable.Empty;

    private readonly long _createdAt; // the join request (the peer is made for it), for join-duration metrics

    internal WebRtcPeer(MediaServer server, string participantId, TimeSpan consentTimeout, long maxIncomingBitrate,
        long initialSubscriberBitrate, ILogger logger)
    {
        _createdAt = System.Diagnostics.Stopwatch.GetTimestamp();
        _sendPath = new PeerSendPath(this, server.Pool, initialSubscriberBitrate);
        _server = server;
        _logger = logger;
        ParticipantId = participantId;
        LocalIce = IceCredentials.Generate();
        Certificate = server.Certificate;
        Ice = new IceLiteAgent(LocalIce, consentTimeout);
        CreatedTimestamp = Stopwatch.GetTimestamp();
        _reporter = new PeerRtcpReporter(this, _rtcpSenderSsrc, (ulong)Math.Max(0, maxIncomingBitrate), Random.Shared);
    }

    public string ParticipantId { get; }
    public IceCredentials LocalIce { get; }

    /// <summary>Our DTLS certificate for this peer (its fingerprint is in every answer to this peer).</summary>
    public DtlsCertificate Certificate { get; }
    public IceLiteAgent Ice { get; }
    public long CreatedTimestamp { get; }

    /// <summary>When the first offer configured the remote side (the connect timeout starts here).</summary>
    public long RemoteConfiguredTimestamp { get; private set; }
    public bool IsConnected => Volatile.Read(ref _srtpOut) is not null;
    public bool IsClosed => _closed;
    public string? FailureReason { get; private set; }

    /// <summary>Raised (once) when the transport fails or closes; the room removes the participant.</summary>
    public Action<WebRtcPeer, string>? Closed { get; set; }

    /// <summary>
    /// Applies the remote ICE credentials and DTLS fingerprint from an offer and starts the DTLS endpoint once.
    /// Returns the a=setup value to answer with.
    /// </summary>
    public string ConfigureRemote(string iceUfrag, string icePwd, string fingerprintAlgorithm, string fingerprint,
        string remoteSetup)
    {
        Ice.SetRemoteCredentials(iceUfrag, icePwd);
        if (RemoteConfiguredTimestamp == 0)
        {
            RemoteConfiguredTimestamp = Stopwatch.GetTimestamp();
        }
        // RFC 8842 §5.3: an actpass offerer lets the answerer choose; we take the DTLS server role (passive), so
        // the browser, as client, starts the handshake as soon as ICE connects.
        DtlsRole role = remoteSetup == "passive" ? DtlsRole.Client : DtlsRole.Server;
        if (_dtls is null)
        {
            _dtls = new DtlsSession(Certificate, role, fingerprintAlgorithm, fingerprint, this, this);
            _dtls.Start();
        }
        return role == DtlsRole.Server ? "passive" : "active";
    }

    internal PeerMediaTable Media => Volatile.Read(ref _media);

    /// <summary>The address the peer's media comes from (the nominated ICE pair), null before ICE (diagnostics).</summary>
    public IPEndPoint? RemoteEndPoint =>
        Volatile.Read(ref _remote) is { } remote ? (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(remote) : null;

    /// <summary>The bandwidth estimate of this peer's downlink (bits/s), 0 when it gives no transport-wide feedback.</summary>
    public long SubscriberEstimateBitsPerSecond => _sendPath.EstimateBitsPerSecond;

    /// <summary>The subscriber side's bandwidth estimate and pacer in one line (diagnostics).</summary>
    public string DescribeSubscriberPath() => _sendPath.Describe();

    /// <summary>The subscriber side: pacer, transport-wide sequence numbers, bandwidth estimate and allocation.</summary>
    internal PeerSendPath SendPath => _sendPath;

    /// <summary>Replaces the producer/consumer lookup tables (control plane; copy-on-write).</summary>
    internal void UpdateMedia(Func<PeerMediaTable, PeerMediaTable> update)
    {
        lock (_mediaLock)
        {
            Volatile.Write(ref _media, update(_media));
        }
    }

    // ---- ICE (media loop) ----

    internal void OnIceCheckAccepted(SocketAddress from, bool nominated)
    {
        SocketAddress? current = Volatile.Read(ref _remote);
        if (current is null || nominated && !SocketAddressComparer.Instance.Equals(current, from))
        {
            Volatile.Write(ref _remote, MediaServer.Clone(from));
        }
    }

    // ---- DTLS ----

    internal void OnDtlsDatagram(ReadOnlySpan<byte> datagram) => _dtls?.OnDatagram(datagram);

    void IDtlsPacketSender.SendDtls(ReadOnlySpan<byte> datagram)
    {
        SocketAddress? remote = Volatile.Read(ref _remote);
        if (remote is not null && !_closed)
        {
            _server.Socket.SendTo(datagram, remote);
            MediaMetrics.DatagramSent(datagram.Length);
        }
    }

    void IDtlsSessionListener.OnDtlsConnected(DtlsSession session, DtlsSrtpKeys keys)
    {
        var profile = (SrtpProfile)keys.ProfileId;
        Volatile.Write(ref _srtpIn, new SrtpContext(profile, keys.RemoteMasterKey, keys.RemoteMasterSalt));
        Volatile.Write(ref _srtpOut, new SrtpContext(profile, keys.LocalMasterKey, keys.LocalMasterSalt));
        MediaMetrics.ConnectedPeers.Inc();
        SessionMetrics.Joined(System.Diagnostics.Stopwatch.GetElapsedTime(_createdAt));
        LogConnected(_logger, ParticipantId, profile.ToString());
        // Everything this peer subscribes to needs a fresh keyframe now that it can decrypt.
        foreach (Consumer consumer in Media.Consumers)
        {
            consumer.OnPictureLoss();
        }
    }

    void IDtlsSessionListener.OnDtlsFailed(DtlsSession session, string reason) => Close("DTLS failed: " + reason);

    void IDtlsSessionListener.OnDtlsClosed(DtlsSession session) => Close("DTLS closed by peer");

    // ---- SRTP in (media loop) ----

    internal void OnSrtp(PooledPacket packet)
    {
        SrtpContext? srtp = Volatile.Read(ref _srtpIn);
        if (srtp is null || _closed)
        {
            _server.BadInput.Drop(DropReason.SrtpNotReady);
            return;
        }
        Span<byte> buffer = packet.Buffer;
        if (RtpPacket.LooksLikeRtcp(packet.Span))
        {
            SrtpStatus rtcpStatus = srtp.UnprotectRtcp(buffer, packet.Length, out int rtcpLength);
            if (rtcpStatus != SrtpStatus.Ok)
            {
                _server.BadInput.Drop(DropFor(rtcpStatus));
                return;
            }
            PeerRtcpReader.Handle(this, buffer[..rtcpLength], packet.ReceivedTimestamp, _server.BadInput);
            return;
        }

        SrtpStatus status = srtp.UnprotectRtp(buffer, packet.Length, out int length);
        if (status != SrtpStatus.Ok)
        {
            _server.BadInput.Drop(DropFor(status));
            return;
        }
        if (!RtpPacket.TryParse(buffer[..length], out RtpPacket rtp))
        {
            _server.BadInput.Drop(DropReason.RtpMalformed);
            return;
        }
        PeerMediaTable media = Media;
        if (media.TransportCcExtensionId != 0
            && rtp.TryGetExtension(media.TransportCcExtensionId, out ReadOnlySpan<byte> transportSequence)
            && transportSequence.Length >= 2)
        {
            // Every packet counts for the publisher's estimator, padding probes included.
            _feedbackRecorder.OnPacket(System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(transportSequence),
                StopwatchTicks.ToMicroseconds(packet.ReceivedTimestamp));
        }
        Producer? producer = media.FindProducer(rtp, out int layer, out bool repair);
        if (producer is null)
        {
            _server.BadInput.Drop(DropReason.RtpUnknownSsrc);
            return;
        }
        if (repair)
        {
            if (RtxPacket.IsPaddingOnly(rtp))
            {
                return; // a bandwidth probe: it has done its work in the transport-wide feedback above
            }
            uint mediaSsrc = producer.Layers[layer].Ssrc;
            if (mediaSsrc == 0 || !RtxPacket.TryRestore(buffer[..length], producer.Codec.PayloadType, mediaSsrc, out length)
                || !RtpPacket.TryParse(buffer[..length], out rtp))
            {
                _server.BadInput.Drop(DropReason.RtpMalformed);
                return;
            }
        }
        if (producer.Kind == MediaKind.Audio && media.AudioLevelExtensionId != 0
            && rtp.TryGetExtension(media.AudioLevelExtensionId, out ReadOnlySpan<byte> levelBytes)
            && AudioLevel.TryParse(levelBytes, out AudioLevel level))
        {
            producer.OnAudioLevel(level, packet.ReceivedTimestamp);
        }
        packet.Length = length; // the plaintext: what a retransmission cache keeps
        IngressClock.Current = packet.ReceivedTimestamp; // the fan-out's sends time themselves from it
        producer.OnRtp(packet, rtp, layer, packet.ReceivedTimestamp);
        IngressClock.Current = 0;
    }

    private static DropReason DropFor(SrtpStatus status) => status switch
    {
        SrtpStatus.AuthenticationFailed => DropReason.SrtpAuthenticationFailed,
        SrtpStatus.ReplayDetected or SrtpStatus.ReplayTooOld => DropReason.SrtpReplay,
        _ => DropReason.SrtpOther,
    };

    /// <summary>
    /// Periodic work on the media loop (every few ms): the pacer and bandwidth allocation, transport-wide feedback
    /// to the publisher every 100 ms, RTCP reports, NACKs for what its leg lost.
    /// </summary>
    internal void OnTick(long now)
    {
        if (!IsConnected || _closed)
        {
            return;
        }
        _sendPath.OnTick(now);
        PeerMediaTable media = Media;
        if (media.TransportCcExtensionId != 0 && now >= _nextFeedback && media.Producers.Length > 0)
        {
            _nextFeedback = now + FeedbackIntervalTicks;
            SendTransportFeedback(media);
        }
        _reporter.OnTick(now);
        if (media.Producers.Length > 0)
        {
            TimeSpan roundTrip = RoundTrip(media);
            foreach (Producer producer in media.Producers)
            {
                producer.OnTick(now, roundTrip);
            }
        }
    }

    private static readonly long FeedbackIntervalTicks = Stopwatch.Frequency / 10;

    /// <summary>
    /// draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1: arrival times of everything since the last feedback,
    /// so the publisher's own estimator paces its uplink. The media SSRC names one of its streams (any will do).
    /// </summary>
    private void SendTransportFeedback(PeerMediaTable media)
    {
        uint mediaSsrc = 0;
        foreach (Producer producer in media.Producers)
        {
            if (producer.Layers[0].Ssrc != 0)
            {
                mediaSsrc = producer.Layers[0].Ssrc;
                break;
            }
        }
        int length = _feedbackRecorder.WriteFeedback(_feedbackBuffer, _rtcpSenderSsrc, mediaSsrc);
        if (length > 0)
        {
            SendRtcp(_feedbackBuffer, length);
        }
    }


    // ---- SRTP out (media loop) ----

    int IRtpEgress.TransportCcExtensionId => Media.TransportCcExtensionId;

    int IRtpEgress.PlayoutDelayExtensionId => Media.PlayoutDelayExtensionId;

    /// <summary>Hands a consumer's packet to the pacer (video) or straight on (audio, or no transport-cc).</summary>
    public bool SendRtp(byte[] buffer, int length, PacketPriority priority) =>
        !_closed && IsConnected && _sendPath.Send(buffer, length, priority);

    public bool SendRtp(byte[] buffer, int length) => SendRtp(buffer, length, PacketPriority.Video);

    /// <summary>Protects in place and sends now (the pacer's transport).</summary>
    internal bool TransmitRtp(byte[] buffer, int length)
    {
        SrtpContext? srtp = Volatile.Read(ref _srtpOut);
        SocketAddress? remote = Volatile.Read(ref _remote);
        if (srtp is null || remote is null || _closed)
        {
            return false;
        }
        if (srtp.ProtectRtp(buffer, length, out int protectedLength) != SrtpStatus.Ok)
        {
            return false;
        }
        MediaMetrics.PacketForwarded();
        if (!_server.Socket.SendTo(buffer.AsSpan(0, protectedLength), remote))
        {
            return false;
        }
        MediaMetrics.DatagramSent(protectedLength);
        ForwardLatency.OnSent();
        return true;
    }

    public bool SendRtcp(byte[] buffer, int length)
    {
        SrtpContext? srtp = Volatile.Read(ref _srtpOut);
        SocketAddress? remote = Volatile.Read(ref _remote);
        if (srtp is null || remote is null || _closed)
        {
            return false;
        }
        if (srtp.ProtectRtcp(buffer, length, out int protectedLength) != SrtpStatus.Ok)
        {
            return false;
        }
        if (!_server.Socket.SendTo(buffer.AsSpan(0, protectedLength), remote))
        {
            return false;
        }
        MediaMetrics.DatagramSent(protectedLength);
        return true;
    }

    /// <summary>
    /// This peer's round-trip time, measured on its subscriber side (our SRs and its RRs share the path its media
    /// comes in on); 100 ms until measured.
    /// </summary>
    private static TimeSpan RoundTrip(PeerMediaTable media)
    {
        TimeSpan best = TimeSpan.Zero;
        foreach (Consumer consumer in media.Consumers)
        {
            if (consumer.SendStatistics.HasRoundTrip && consumer.SendStatistics.LastRoundTrip > best)
            {
                best = consumer.SendStatistics.LastRoundTrip;
            }
        }
        return best > TimeSpan.Zero ? best : TimeSpan.FromMilliseconds(100);
    }

    /// <summary>RFC 4585 §6.2.1: generic NACK towards this (publishing) peer. Media loop only.</summary>
    public void SendNack(uint mediaSsrc, ReadOnlySpan<ushort> sequences)
    {
        int length = RtcpNack.Write(_rtcpBuffer, _rtcpSenderSsrc, mediaSsrc, sequences);
        if (length > 0 && SendRtcp(_rtcpBuffer, length))
        {
            MediaMetrics.NackSent(sequences.Length);
        }
    }

    /// <summary>RFC 4585 §6.3.1: PLI towards this (publishing) peer. Media loop only.</summary>
    public void SendPictureLossIndication(uint mediaSsrc)
    {
        int length = RtcpPli.Write(_rtcpBuffer, _rtcpSenderSsrc, mediaSsrc);
        if (SendRtcp(_rtcpBuffer, length))
        {
            MediaMetrics.KeyFrameRequested();
        }
    }

    // ---- lifecycle ----

    /// <summary>Closes the transport once. SRTP contexts are disposed after a grace period so the media loop
    /// never touches a disposed context.</summary>
    public void Close(string reason)
    {
        if (_closed)
        {
            return;
        }
        _closed = true;
        FailureReason = reason;
        bool wasConnected = IsConnected;
        if (wasConnected)
        {
            MediaMetrics.ConnectedPeers.Dec();
        }
        LogClosed(_logger, ParticipantId, reason);
        _server.Unregister(this);
        DtlsSession? dtls = _dtls;
        SrtpContext? srtpIn = _srtpIn, srtpOut = _srtpOut;
        PeerSendPath sendPath = _sendPath;
        _ = Task.Delay(TimeSpan.FromSeconds(2)).ContinueWith(_ =>
        {
            sendPath.Clear(); // the media loop stopped touching it when the peer was unregistered
            dtls?.Dispose();
            srtpIn?.Dispose();
            srtpOut?.Dispose();
        }, TaskScheduler.Default);
        Closed?.Invoke(this, reason);
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Peer {Participant} connected (DTLS-SRTP {Profile})")]
    private static partial void LogConnected(ILogger logger, string participant, string profile);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Peer {Participant} closed: {Reason}")]
    private static partial void LogClosed(ILogger logger, string participant, string reason);
}
