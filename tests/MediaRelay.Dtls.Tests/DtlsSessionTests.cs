using System.Buffers.Binary;
using System.Diagnostics;
using MediaRelay.Dtls;

namespace MediaRelay.Dtls.Tests;

/// <summary>Client session ↔ server session over an in-memory wire.</summary>
public sealed class DtlsSessionTests
{
    [Fact]
    public void Handshake_KeysMatchCrosswise()
    {
        using var pair = new SessionPair();
        pair.Start();
        pair.WaitBoth();

        DtlsSrtpKeys client = pair.ClientListener.Keys!;
        DtlsSrtpKeys server = pair.ServerListener.Keys!;
        Assert.NotNull(client);
        Assert.NotNull(server);
        Assert.Equal(DtlsSessionState.Connected, pair.Client.State);
        Assert.Equal(DtlsSessionState.Connected, pair.Server.State);
        Assert.Equal(DtlsSrtpProfile.AeadAes128Gcm, client.ProfileId);
        Assert.Equal(client.ProfileId, server.ProfileId);
        Assert.Equal(client.LocalMasterKey, server.RemoteMasterKey);
        Assert.Equal(client.LocalMasterSalt, server.RemoteMasterSalt);
        Assert.Equal(client.RemoteMasterKey, server.LocalMasterKey);
        Assert.Equal(client.RemoteMasterSalt, server.LocalMasterSalt);
        Assert.Equal(16, client.LocalMasterKey.Length);
        Assert.Equal(12, client.LocalMasterSalt.Length);
        Assert.NotEqual(client.LocalMasterKey, client.RemoteMasterKey);
        Assert.Equal("dtls-client", pair.ClientListener.CallbackThreadName);
        Assert.Equal("dtls-server", pair.ServerListener.CallbackThreadName);
    }

    [Theory]
    [InlineData(new ushort[] { 7, 1 }, new ushort[] { 7, 1 }, (ushort)7)]
    [InlineData(new ushort[] { 7, 1 }, new ushort[] { 1, 7 }, (ushort)1)]
    [InlineData(new ushort[] { 1, 7 }, new ushort[] { 7, 1 }, (ushort)7)]
    [InlineData(new ushort[] { 2, 8 }, new ushort[] { 8 }, (ushort)8)]
    [InlineData(new ushort[] { 8, 7, 2, 1 }, new ushort[] { 2, 1 }, (ushort)2)]
    public void Handshake_ServerPicksFirstOfItsPreferenceThatClientOffered(ushort[] clientOffer, ushort[] serverPreference,
        ushort expected)
    {
        using var pair = new SessionPair(
            new DtlsSessionOptions { SrtpProfiles = clientOffer },
            new DtlsSessionOptions { SrtpProfiles = serverPreference });
        pair.Start();
        pair.WaitBoth();

        Assert.Equal(expected, pair.ClientListener.Keys!.ProfileId);
        Assert.Equal(expected, pair.ServerListener.Keys!.ProfileId);
        Assert.Equal(DtlsSrtpProfile.GetMasterKeyLength(expected), pair.ClientListener.Keys.LocalMasterKey.Length);
        Assert.Equal(DtlsSrtpProfile.GetMasterSaltLength(expected), pair.ServerListener.Keys.RemoteMasterSalt.Length);
        Assert.Equal(pair.ClientListener.Keys.LocalMasterKey, pair.ServerListener.Keys.RemoteMasterKey);
    }

    [Fact]
    public void Handshake_NoCommonProfile_FailsBothSides()
    {
        using var pair = new SessionPair(
            new DtlsSessionOptions { SrtpProfiles = [DtlsSrtpProfile.Aes128CmHmacSha1_80] },
            new DtlsSessionOptions { SrtpProfiles = [DtlsSrtpProfile.AeadAes256Gcm] });
        pair.Start();
        pair.WaitBoth();

        Assert.Equal("no common SRTP profile", pair.ServerListener.FailureReason);
        Assert.NotNull(pair.ClientListener.FailureReason);
        Assert.Equal(DtlsSessionState.Failed, pair.Client.State);
        Assert.Equal(DtlsSessionState.Failed, pair.Server.State);
    }

    [Fact]
    public void Handshake_ServerSeesWrongClientFingerprint_FailsBothSides()
    {
        string wrong = DtlsCertificate.Generate().Fingerprint;
        using var pair = new SessionPair(serverSeesClientFingerprint: wrong);
        pair.Start();
        pair.WaitBoth();

        Assert.Equal("fingerprint mismatch", pair.ServerListener.FailureReason);
        Assert.Contains("bad_certificate", pair.ClientListener.FailureReason);
        Assert.Null(pair.ClientListener.Keys);
        Assert.Null(pair.ServerListener.Keys);
        Assert.Equal(DtlsSessionState.Failed, pair.Client.State);
        Assert.Equal(DtlsSessionState.Failed, pair.Server.State);
    }

    [Fact]
    public void Handshake_ClientSeesWrongServerFingerprint_FailsBothSides()
    {
        string wrong = DtlsCertificate.Generate().Fingerprint;
        using var pair = new SessionPair(clientSeesServerFingerprint: wrong);
        pair.Start();
        pair.WaitBoth();

        Assert.Equal("fingerprint mismatch", pair.ClientListener.FailureReason);
        Assert.Contains("bad_certificate", pair.ServerListener.FailureReason);
        Assert.Equal(DtlsSessionState.Failed, pair.Client.State);
        Assert.Equal(DtlsSessionState.Failed, pair.Server.State);
    }

    [Fact]
    public void Dispose_DuringHandshake_EndsThreadPromptlyWithoutCallback()
    {
        var listener = new RecordingListener();
        var peer = DtlsCertificate.Generate();
        var session = new DtlsSession(DtlsCertificate.Generate(), DtlsRole.Server, "sha-256", peer.Fingerprint,
            new LoopbackSender(), listener);
        session.Start();
        Thread.Sleep(100);
        Assert.True(session.IsThreadAlive);
        Assert.Equal(DtlsSessionState.Connecting, session.State);

        var watch = Stopwatch.StartNew();
        session.Dispose();
        watch.Stop();

        Assert.False(session.IsThreadAlive);
        Assert.True(watch.ElapsedMilliseconds < 2000, $"Dispose took {watch.ElapsedMilliseconds} ms");
        Assert.Equal(DtlsSessionState.Closed, session.State);
        Assert.Equal(0, listener.Callbacks);
    }

    [Fact]
    public void Dispose_ClientMidHandshake_EndsThread()
    {
        using var pair = new SessionPair();
        pair.ClientWire.Deliver = _ => false; // server never answers: client keeps retransmitting
        pair.Start();
        Thread.Sleep(200);
        Assert.True(pair.Client.IsThreadAlive);
        pair.Client.Dispose();
        Assert.False(pair.Client.IsThreadAlive);
        Assert.Equal(0, pair.ClientListener.Callbacks);
    }

    [Fact]
    public void Dispose_AfterConnect_SendsCloseNotifyAndPeerReportsClosed()
    {
        using var pair = new SessionPair();
        pair.Start();
        pair.WaitBoth();

        pair.Client.Dispose();

        Assert.True(pair.ServerListener.WaitClosed(), "server did not see close_notify");
        Assert.Equal(DtlsSessionState.Closed, pair.Server.State);
        Assert.False(pair.Client.IsThreadAlive);
        Assert.False(pair.ClientListener.IsClosed);
        SpinWait.SpinUntil(() => !pair.Server.IsThreadAlive, 5000);
        Assert.False(pair.Server.IsThreadAlive);
    }

    [Fact]
    public void HandshakeTimeout_NoPeer_Fails()
    {
        var listener = new RecordingListener();
        var session = new DtlsSession(DtlsCertificate.Generate(), DtlsRole.Client, "sha-256",
            DtlsCertificate.Generate().Fingerprint, new LoopbackSender(), listener,
            new DtlsSessionOptions { HandshakeTimeout = TimeSpan.FromMilliseconds(1500) });
        using (session)
        {
            session.Start();
            Assert.True(listener.WaitOutcome(10000));
            Assert.Equal("handshake timed out", listener.FailureReason);
            Assert.Equal(DtlsSessionState.Failed, session.State);
        }
    }

    [Fact]
    public void DtlsThirteenCapableFragmentedClientHello_NegotiatesDtlsTwelve()
    {
        // Imitate Chromium: supported_versions {DTLS 1.3, DTLS 1.2} and a post-quantum key share
        // (X25519MLKEM768, 1216 bytes) plus x25519, so the ClientHello is fragmented over several datagrams.
        var random = new Random(9147);
        byte[] mlkem = new byte[1216];
        byte[] x25519 = new byte[32];
        random.NextBytes(mlkem);
        random.NextBytes(x25519);
        var keyShare = new List<byte>();
        keyShare.AddRange(U16(2 + 2 + mlkem.Length + 2 + 2 + x25519.Length));
        keyShare.AddRange(U16(0x11EC));
        keyShare.AddRange(U16(mlkem.Length));
        keyShare.AddRange(mlkem);
        keyShare.AddRange(U16(0x001D));
        keyShare.AddRange(U16(x25519.Length));
        keyShare.AddRange(x25519);
        var extra = new Dictionary<int, byte[]>
        {
            [43] = [4, 0xFE, 0xFC, 0xFE, 0xFD], // supported_versions: DTLS 1.3, DTLS 1.2
            [51] = keyShare.ToArray(),           // key_share
            [45] = [1, 1],                       // psk_key_exchange_modes: psk_dhe_ke
        };

        using var pair = new SessionPair(new DtlsSessionOptions { ExtraClientExtensions = extra, Mtu = 600 });
        int clientHelloDatagrams = 0;
        pair.ClientWire.Deliver = datagram =>
        {
            // Epoch 0 handshake records carrying client_hello (msg type 1) fragments.
            if (datagram.Length > 13 && datagram[0] == 22 && datagram[13] == 1)
            {
                Interlocked.Increment(ref clientHelloDatagrams);
            }

            return true;
        };
        pair.Start();
        pair.WaitBoth();

        Assert.NotNull(pair.ServerListener.Keys);
        Assert.NotNull(pair.ClientListener.Keys);
        Assert.True(clientHelloDatagrams >= 3, $"ClientHello took {clientHelloDatagrams} datagrams");

        // The reassembled ClientHello really carried supported_versions {DTLS 1.3, DTLS 1.2} and the key share.
        byte[] clientHello = ReassembleClientHello(pair.ClientWire.Sent);
        Assert.True(clientHello.AsSpan().IndexOf(new byte[] { 0x00, 0x2B, 0x00, 0x05, 0x04, 0xFE, 0xFC, 0xFE, 0xFD }) > 0);
        Assert.True(clientHello.AsSpan().IndexOf(mlkem) > 0);

        // The ServerHello record and body carry DTLS 1.2 ({254, 253}).
        byte[] serverHello = pair.ServerWire.Sent[0];
        Assert.Equal(22, serverHello[0]);
        Assert.Equal(0xFEFD, BinaryPrimitives.ReadUInt16BigEndian(serverHello.AsSpan(1)));
        Assert.Equal(2, serverHello[13]);
        Assert.Equal(0xFEFD, BinaryPrimitives.ReadUInt16BigEndian(serverHello.AsSpan(25)));
    }

    [Fact]
    public void OnDatagram_QueueFull_DropsAndCounts()
    {
        var session = new DtlsSession(DtlsCertificate.Generate(), DtlsRole.Server, "sha-256",
            DtlsCertificate.Generate().Fingerprint, new LoopbackSender(), new RecordingListener(),
            new DtlsSessionOptions { InboundQueueCapacity = 4 });
        using (session)
        {
            for (int i = 0; i < 10; i++)
            {
                session.OnDatagram(new byte[] { 22, 1, 2, 3 });
            }

            session.OnDatagram(ReadOnlySpan<byte>.Empty);
            Assert.Equal(7, session.DroppedDatagrams);
        }
    }

    [Fact]
    public void Constructor_RejectsBadFingerprintAndOptions()
    {
        var certificate = DtlsCertificate.Generate();
        var sender = new LoopbackSender();
        var listener = new RecordingListener();
        Assert.Throws<ArgumentException>(() => new DtlsSession(certificate, DtlsRole.Client, "md5",
            certificate.Fingerprint, sender, listener));
        Assert.Throws<ArgumentException>(() => new DtlsSession(certificate, DtlsRole.Client, "sha-256",
            "AB:CD", sender, listener));
        Assert.Throws<ArgumentException>(() => new DtlsSession(certificate, DtlsRole.Client, "sha-256",
            certificate.Fingerprint, sender, listener, new DtlsSessionOptions { SrtpProfiles = [0x0005] }));
        Assert.Throws<ArgumentException>(() => new DtlsSession(certificate, DtlsRole.Client, "sha-256",
            certificate.Fingerprint, sender, listener, new DtlsSessionOptions { SrtpProfiles = [] }));
    }

    [Fact]
    public void Start_Twice_Throws()
    {
        using var pair = new SessionPair();
        pair.Server.Start();
        Assert.Throws<InvalidOperationException>(() => pair.Server.Start());
    }

    private static byte[] ReassembleClientHello(byte[][] datagrams)
    {
        byte[]? message = null;
        foreach (byte[] datagram in datagrams)
        {
            int at = 0;
            while (at + 25 <= datagram.Length)
            {
                int recordLength = BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(at + 11));
                ReadOnlySpan<byte> handshake = datagram.AsSpan(at + 13, recordLength);
                if (datagram[at] == 22 && handshake[0] == 1)
                {
                    int total = (handshake[1] << 16) | (handshake[2] << 8) | handshake[3];
                    int offset = (handshake[6] << 16) | (handshake[7] << 8) | handshake[8];
                    int length = (handshake[9] << 16) | (handshake[10] << 8) | handshake[11];
                    message ??= new byte[total];
                    handshake.Slice(12, length).CopyTo(message.AsSpan(offset));
                }

                at += 13 + recordLength;
            }
        }

        return message ?? [];
    }

    [Fact]
    public void LostFlights_AreRetransmittedAndHandshakeCompletes()
    {
        using var pair = new SessionPair();
        int clientSent = 0;
        int serverSent = 0;
        pair.ClientWire.Deliver = _ => Interlocked.Increment(ref clientSent) != 1; // lose the first ClientHello
        pair.ServerWire.Deliver = _ => Interlocked.Increment(ref serverSent) != 2; // lose part of the server flight
        pair.Start();
        pair.WaitBoth();

        Assert.NotNull(pair.ClientListener.Keys);
        Assert.Equal(pair.ClientListener.Keys!.LocalMasterKey, pair.ServerListener.Keys!.RemoteMasterKey);
    }

    [Fact]
    public void ListenerThatThrowsOrDisposesInCallback_DoesNotCrashTheSessionThread()
    {
        var certificateA = DtlsCertificate.Generate();
        var certificateB = DtlsCertificate.Generate();
        var wireA = new LoopbackSender();
        var wireB = new LoopbackSender();
        var throwing = new CallbackListener(_ => throw new InvalidOperationException("listener bug"));
        var disposing = new CallbackListener(session => session.Dispose());
        using var client = new DtlsSession(certificateA, DtlsRole.Client, "sha-256", certificateB.Fingerprint, wireA, throwing);
        using var server = new DtlsSession(certificateB, DtlsRole.Server, "sha-256", certificateA.Fingerprint, wireB, disposing);
        wireA.Target = server;
        wireB.Target = client;
        server.Start();
        client.Start();

        Assert.True(throwing.Called.Wait(10000));
        Assert.True(disposing.Called.Wait(10000));
        Assert.True(SpinWait.SpinUntil(() => !server.IsThreadAlive, 5000));
        Assert.Equal(DtlsSessionState.Closed, server.State);
    }

    private sealed class CallbackListener(Action<DtlsSession> onConnected) : IDtlsSessionListener
    {
        public ManualResetEventSlim Called { get; } = new();

        public void OnDtlsConnected(DtlsSession session, DtlsSrtpKeys keys)
        {
            Called.Set();
            onConnected(session);
        }

        public void OnDtlsFailed(DtlsSession session, string reason) => Called.Set();

        public void OnDtlsClosed(DtlsSession session)
        {
        }
    }

    private static byte[] U16(int value) => [(byte)(value >> 8), (byte)value];
}
