using System.Buffers.Binary;
using MediaRelay.Dtls;

namespace MediaRelay.Dtls.Tests;

/// <summary>Bad input on the DTLS path: random bytes, junk records, replayed and stale handshakes.</summary>
public sealed class DtlsSessionGarbageTests
{
    [Fact]
    public void Garbage_BeforeAndDuringHandshake_DoesNotThrowAndHandshakeSucceeds()
    {
        using var pair = new SessionPair();
        var random = new Random(5764);
        for (int i = 0; i < 40; i++)
        {
            pair.Server.OnDatagram(RandomDatagram(random));
            pair.Client.OnDatagram(RandomDatagram(random));
        }

        // Keep spraying garbage at both ends while the real flights go through.
        pair.ClientWire.Deliver = _ =>
        {
            lock (random)
            {
                pair.Server.OnDatagram(RandomDatagram(random));
            }

            return true;
        };
        pair.ServerWire.Deliver = _ =>
        {
            lock (random)
            {
                pair.Client.OnDatagram(RandomDatagram(random));
            }

            return true;
        };
        pair.Start();
        pair.WaitBoth();

        Assert.NotNull(pair.ClientListener.Keys);
        Assert.NotNull(pair.ServerListener.Keys);
        Assert.Equal(pair.ClientListener.Keys!.LocalMasterKey, pair.ServerListener.Keys!.RemoteMasterKey);
    }

    [Fact]
    public void Garbage_WellFormedRecordsWithJunkHandshake_EndInFailureOrSuccessNeverCrash()
    {
        var random = new Random(6347);
        for (int round = 0; round < 4; round++)
        {
            var pair = new SessionPair(serverOptions: new DtlsSessionOptions { HandshakeTimeout = TimeSpan.FromSeconds(2) });
            try
            {
                for (int i = 0; i < 5; i++)
                {
                    pair.Server.OnDatagram(JunkHandshakeRecord(random));
                }

                pair.Start();
                Assert.True(pair.ServerListener.WaitOutcome(), "server produced no outcome");
                Assert.True(pair.ServerListener.Callbacks >= 1);
                Assert.True(pair.Server.State is DtlsSessionState.Connected or DtlsSessionState.Failed);
            }
            finally
            {
                pair.Dispose();
            }
        }
    }

    [Fact]
    public void ReplayedClientHello_AfterConnect_IsIgnored()
    {
        using var pair = new SessionPair();
        pair.Start();
        pair.WaitBoth();

        byte[][] clientFlights = pair.ClientWire.Sent;
        foreach (byte[] datagram in clientFlights)
        {
            pair.Server.OnDatagram(datagram);
        }

        foreach (byte[] datagram in pair.ServerWire.Sent)
        {
            pair.Client.OnDatagram(datagram);
        }

        Thread.Sleep(300);
        Assert.Equal(DtlsSessionState.Connected, pair.Server.State);
        Assert.Equal(DtlsSessionState.Connected, pair.Client.State);
        Assert.Equal(1, pair.ServerListener.Callbacks);
        Assert.Equal(1, pair.ClientListener.Callbacks);
    }

    [Fact]
    public void OldHandshakeClientHello_BeforeRealOne_EndsInOutcomeNeverCrash()
    {
        byte[] staleClientHello;
        using (var old = new SessionPair())
        {
            old.Start();
            old.WaitBoth();
            staleClientHello = old.ClientWire.Sent[0];
        }

        using var pair = new SessionPair(serverOptions: new DtlsSessionOptions { HandshakeTimeout = TimeSpan.FromSeconds(2) });
        pair.Server.OnDatagram(staleClientHello);
        pair.Start();
        Assert.True(pair.ServerListener.WaitOutcome(), "server produced no outcome");
        Assert.True(pair.Server.State is DtlsSessionState.Connected or DtlsSessionState.Failed);
    }

    private static byte[] RandomDatagram(Random random)
    {
        byte[] datagram = new byte[random.Next(0, 300)];
        random.NextBytes(datagram);
        if (datagram.Length > 0)
        {
            datagram[0] = (byte)random.Next(20, 64);
        }

        return datagram;
    }

    private static byte[] JunkHandshakeRecord(Random random)
    {
        int bodyLength = random.Next(1, 200);
        byte[] record = new byte[13 + bodyLength];
        random.NextBytes(record);
        record[0] = 22;
        record[1] = 0xFE;
        record[2] = 0xFD;
        record[3] = 0;
        record[4] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(11), (ushort)bodyLength);
        if (random.Next(2) == 0)
        {
            record[13] = 1; // looks like a client_hello fragment
        }

        return record;
    }
}
