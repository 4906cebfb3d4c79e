using MediaRelay.Dtls;

namespace MediaRelay.Dtls.Tests;

/// <summary>In-memory "wire": delivers each datagram to the other session and keeps a copy.</summary>
internal sealed class LoopbackSender : IDtlsPacketSender
{
    private readonly List<byte[]> _sent = [];

    public DtlsSession? Target { get; set; }

    /// <summary>When set, datagrams for which it returns false are lost on the wire.</summary>
    public Func<byte[], bool>? Deliver { get; set; }

    public byte[][] Sent
    {
        get
        {
            lock (_sent)
            {
                return _sent.ToArray();
            }
        }
    }

    public void SendDtls(ReadOnlySpan<byte> datagram)
    {
        byte[] copy = datagram.ToArray();
        lock (_sent)
        {
            _sent.Add(copy);
        }

        if (Deliver is null || Deliver(copy))
        {
            Target?.OnDatagram(copy);
        }
    }
}
