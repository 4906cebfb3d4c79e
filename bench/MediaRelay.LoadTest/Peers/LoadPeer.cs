using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MediaRelay.Dtls;
using MediaRelay.LoadTest.Measurement;
using MediaRelay.LoadTest.Native;
using MediaRelay.Rtp;
using MediaRelay.Rtp.Rtcp;
using MediaRelay.Srtp;

namespace MediaRelay.LoadTest.Peers;

internal enum PeerKind
{
    Publisher,
    Subscriber,
}

/// <summary>
/// One simulated participant: its own UDP socket (a peer is its 5-tuple), an ICE agent for its one candidate pair,
/// a DTLS-SRTP association, and either a publisher's outgoing audio + video streams or a subscriber's receive
/// statistics. Threads: the generator's sender thread sends checks and media; the receive thread delivers
/// datagrams (<see cref="OnDatagram"/>); the DTLS session's own thread runs the handshake.
/// </summary>
internal sealed partial class LoadPeer : IDtlsPacketSender, IDtlsSessionListener, IDisposable
{
    public const byte AudioPayloadType = 111;
    public const byte VideoPayloadType = 96;

    private readonly byte[] _stunResponse = new byte[256];
    private readonly Dictionary<uint, StreamStats> _streams = [];
    private DtlsSession? _dtls;
    private DtlsCertificate? _certificate;
    private string _remoteFingerprint = "";
    private DtlsRole _dtlsRole;
    private ushort _srtpProfile;
    private SrtpContext? _send;
    private SrtpContext? _receive;
    private int _sampleCountdown;

    public LoadPeer(int index, PeerKind kind, int room, IPAddress bindAddress)
    {
        Index = index;
        Kind = kind;
        Room = room;
        Socket = new Socket(bindAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp)
        {
            Blocking = false,
            ReceiveBufferSize = 1 << 20,
            SendBufferSize = 1 << 20,
        };
        Socket.Bind(new IPEndPoint(bindAddress, 0));
        LocalEndPoint = (IPEndPoint)Socket.LocalEndPoint!;
        FileDescriptor = (int)Socket.SafeHandle.DangerousGetHandle();
        // The kernel stamps each datagram's arrival (socket(7) SO_TIMESTAMPNS): latency ends at the socket, not at
        // the generator's wake-up. Without it the receive thread's own time is used.
        KernelTimestamps = LinuxDatagramPoller.EnableReceiveTimestamps(FileDescriptor);
        AudioSsrc = (uint)Random.Shared.Next(1, int.MaxValue);
        VideoSsrc = AudioSsrc + 1;
    }

    public int Index { get; }
    public PeerKind Kind { get; }
    public int Room { get; }
    public Socket Socket { get; }
    public int FileDescriptor { get; }

    /// <summary>Whether the socket has SO_TIMESTAMPNS on.</summary>
    public bool KernelTimestamps { get; }
    public IPEndPoint LocalEndPoint { get; }
    public IceClient Ice { get; } = new();
    public uint AudioSsrc { get; }
    public uint VideoSsrc { get; }

    /// <summary>Set by the target once signaling is done: what the generator must wait for before measuring.</summary>
    public int ExpectedStreams { get; set; }

    public bool MediaReady => _send is not null && _receive is not null;
    public string? Failure { get; private set; }

    // Counters written by the receive thread, read by the controller between windows.
    public long RtpPackets;
    public long RtpBytes;
    public long OtherPackets;
    public long KeyFrameRequests;
    public long SendErrors;
    public volatile bool KeyFrameWanted = true;

    public IReadOnlyDictionary<uint, StreamStats> Streams => _streams;

    /// <summary>Where the server is and how to talk to it; connects the socket so nothing else reaches it.</summary>
    public void Connect(IPEndPoint remote, string ufrag, string password, bool iceControlling,
        DtlsCertificate certificate, string remoteFingerprint, DtlsRole dtlsRole, ushort srtpProfile)
    {
        Socket.Connect(remote);
        _certificate = certificate;
        _remoteFingerprint = remoteFingerprint;
        _dtlsRole = dtlsRole;
        _srtpProfile = srtpProfile;
        Ice.SetRemote(remote, ufrag, password, iceControlling);
        if (dtlsRole == DtlsRole.Server)
        {
            StartDtls(); // the remote's ClientHello may come right after its first check
        }
    }

    /// <summary>The reflector has no DTLS: both sides use keys the generator chose.</summary>
    public void ConnectWithoutHandshake(IPEndPoint remote, SrtpProfile profile, byte[] key, byte[] salt)
    {
        Socket.Connect(remote);
        _send = new SrtpContext(profile, key, salt);
        _receive = new SrtpContext(profile, key, salt);
    }

    /// <summary>Sender thread: an ICE check or consent request when due, and the DTLS client's start once ICE holds.</summary>
    public void Service(long now, Span<byte> scratch)
    {
        int length = Ice.NextRequest(now, scratch);
        if (length > 0)
        {
            Send(scratch[..length]);
        }
        if (Ice.Connected && _dtls is null && _certificate is not null)
        {
            StartDtls();
        }
    }

    private void StartDtls()
    {
        var options = new DtlsSessionOptions { SrtpProfiles = [_srtpProfile], HandshakeTimeout = TimeSpan.FromSeconds(60) };
        _dtls = new DtlsSession(_certificate!, _dtlsRole, DtlsFingerprint.Sha256, _remoteFingerprint, this, this, options);
        _dtls.Start();
    }

    /// <summary>
    /// Receive thread: one datagram from the server, demultiplexed by its first byte (RFC 7983 §7);
    /// <paramref name="arrivalTicks"/> is the kernel's receive time (Stopwatch ticks), 0 when unknown.
    /// </summary>
    public void OnDatagram(Span<byte> datagram, ReceiveTotals totals, long arrivalTicks)
    {
        byte first = datagram[0];
        if (first < 4)
        {
            int length = Ice.OnStun(datagram, _stunResponse);
            if (length > 0)
            {
                Send(_stunResponse.AsSpan(0, length));
            }
            OtherPackets++;
        }
        else if (first is >= 20 and <= 63)
        {
            _dtls?.OnDatagram(datagram);
            OtherPackets++;
        }
        else if (first is >= 128 and <= 191)
        {
            if (RtpPacket.LooksLikeRtcp(datagram))
            {
                OnRtcp(datagram);
                OtherPackets++;
            }
            else
            {
                OnRtp(datagram, totals, arrivalTicks);
            }
        }
        else
        {
            OtherPackets++;
        }
    }

    private void OnRtp(Span<byte> datagram, ReceiveTotals totals, long arrivalTicks)
    {
        if (datagram.Length < RtpPacket.FixedHeaderLength)
        {
            OtherPackets++;
            return;
        }
        byte payloadType = (byte)(datagram[1] & 0x7F);
        if (payloadType != AudioPayloadType && payloadType != VideoPayloadType)
        {
            OtherPackets++; // RTX, padding probes
            return;
        }
        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(datagram[8..]);
        ushort sequence = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        if (!_streams.TryGetValue(ssrc, out StreamStats? stream))
        {
            stream = new StreamStats { IsVideo = payloadType == VideoPayloadType };
            _streams[ssrc] = stream;
        }
        stream.OnPacket(sequence);
        RtpPackets++;
        RtpBytes += datagram.Length;
        // One packet in SampleEvery is decrypted and timed; so is every packet of a stream whose publisher is not
        // known yet (its marker names it), so each stream is attributed to its publisher from its first packet.
        if ((--_sampleCountdown > 0 && stream.Publisher >= 0) || _receive is null)
        {
            return;
        }
        _sampleCountdown = totals.SampleEvery;
        if (_receive.UnprotectRtp(datagram, datagram.Length, out int plain) != SrtpStatus.Ok
            || !RtpPacket.TryParse(datagram[..plain], out RtpPacket packet))
        {
            totals.UndecryptableSamples++;
            return;
        }
        int offset = payloadType == VideoPayloadType ? LoadPayload.VideoMarkerOffset : 0;
        Span<byte> payload = packet.Payload;
        if (payload.Length < offset || !LoadPayload.TryReadMarker(payload[offset..], out int publisher, out long sentTicks))
        {
            totals.UnmarkedSamples++;
            return;
        }
        stream.Publisher = publisher;
        long now = Stopwatch.GetTimestamp();
        long arrival = now;
        if (arrivalTicks != 0)
        {
            arrival = arrivalTicks;
            totals.KernelTimedSamples++;
            totals.ReceiveDelayTicks += now - arrivalTicks;
        }
        else
        {
            totals.UserTimedSamples++;
        }
        long transit = arrival - sentTicks;
        totals.Latency.Record(transit);
        stream.OnTransit(transit);
    }

    /// <summary>A publisher watches for PLI/FIR (RFC 4585 §6.3.1, RFC 5104 §4.3.1) to send a key frame.</summary>
    private void OnRtcp(Span<byte> datagram)
    {
        if (Kind != PeerKind.Publisher || _receive is null
            || _receive.UnprotectRtcp(datagram, datagram.Length, out int plain) != SrtpStatus.Ok)
        {
            return;
        }
        var reader = new RtcpCompoundReader(datagram[..plain]);
        while (reader.TryReadNext(out RtcpPacketView packet))
        {
            if (packet.PacketType == RtcpPacketType.PayloadFeedback && packet.Count is 1 or 4)
            {
                KeyFrameWanted = true;
                KeyFrameRequests++;
            }
        }
    }

    public void SendDtls(ReadOnlySpan<byte> datagram) => Send(datagram);

    public void Send(ReadOnlySpan<byte> datagram)
    {
        try
        {
            Socket.Send(datagram);
        }
        catch (SocketException)
        {
            SendErrors++;
        }
        catch (ObjectDisposedException)
        {
            SendErrors++;
        }
    }

    public void OnDtlsConnected(DtlsSession session, DtlsSrtpKeys keys)
    {
        var profile = (SrtpProfile)keys.ProfileId;
        _send = new SrtpContext(profile, keys.LocalMasterKey, keys.LocalMasterSalt);
        _receive = new SrtpContext(profile, keys.RemoteMasterKey, keys.RemoteMasterSalt);
    }

    public void OnDtlsFailed(DtlsSession session, string reason) => Failure = "DTLS: " + reason;

    public void OnDtlsClosed(DtlsSession session) => Failure ??= "DTLS closed by the server";

    public void Dispose()
    {
        _dtls?.Dispose();
        Socket.Dispose();
        _send?.Dispose();
        _receive?.Dispose();
    }
}
