using System.Net;
using System.Net.Sockets;
using MediaRelay.Dtls;

namespace MediaRelay.Dtls.Tests.OpenSsl;

/// <summary>
/// A real UDP socket on 127.0.0.1 feeding a <see cref="DtlsSession"/>: a receive thread demultiplexes by first
/// byte (RFC 7983 §7: 20..63 is DTLS) and the session sends back to the remote (given, or learned).
/// </summary>
internal sealed class UdpDtlsPeer : IDtlsPacketSender, IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Thread _thread;
    private volatile IPEndPoint? _remote;

    public UdpDtlsPeer(IPEndPoint? remote = null)
    {
        _remote = remote;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _thread = new Thread(ReceiveLoop) { IsBackground = true, Name = "udp-test" };
    }

    public int LocalPort => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public DtlsSession? Session { get; set; }

    public void Start() => _thread.Start();

    public void SendDtls(ReadOnlySpan<byte> datagram)
    {
        IPEndPoint? remote = _remote;
        if (remote is null)
        {
            return;
        }

        try
        {
            _socket.SendTo(datagram, SocketFlags.None, remote);
        }
        catch (Exception)
        {
            // Socket closed or peer gone: UDP is lossy anyway.
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        if (_thread.IsAlive)
        {
            _thread.Join(TimeSpan.FromSeconds(5));
        }
    }

    private void ReceiveLoop()
    {
        byte[] buffer = new byte[65536];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        try
        {
            while (true)
            {
                int received = _socket.ReceiveFrom(buffer, ref from);
                _remote ??= (IPEndPoint)from;
                if (received > 0 && buffer[0] is >= 20 and <= 63)
                {
                    Session?.OnDatagram(buffer.AsSpan(0, received));
                }
            }
        }
        catch (Exception)
        {
            // Disposed.
        }
    }
}
