using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace MediaRelay.Interop.Tests.Server;

/// <summary>
/// A user-space UDP relay between browsers and the server (there is no tc netem here). The server announces the
/// relay's port; each client address gets its own upstream socket, so the server sees one stable address per
/// client. Tests can inject datagrams that the server receives from a client's address, and read the datagrams
/// a client sent (to replay or corrupt them).
/// </summary>
public sealed class UdpRelay : IDisposable
{
    private readonly Socket _front = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly ConcurrentDictionary<IPEndPoint, Leg> _legs = new();
    private readonly CancellationTokenSource _stop = new();
    private IPEndPoint? _server;

    public UdpRelay()
    {
        _front.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_front.LocalEndPoint!).Port;
    }

    public int Port { get; }

    /// <summary>
    /// Impairment of every datagram clients send to the server, for legs without their own
    /// <see cref="Leg.UpstreamPath"/>; null forwards untouched. One path shared by all legs acts as one bottleneck.
    /// </summary>
    public ImpairedPath? Upstream { get; set; }

    /// <summary>Impairment of every datagram the server sends to clients, for legs without their own
    /// <see cref="Leg.DownstreamPath"/>; null forwards untouched.</summary>
    public ImpairedPath? Downstream { get; set; }

    private readonly ConcurrentDictionary<int, bool> _silencedPorts = new();

    /// <summary>
    /// Drops everything to and from these client ports, on legs that exist and on legs a client opens later (ICE
    /// would otherwise recover over another local candidate, which is what it is for).
    /// </summary>
    public void Silence(IEnumerable<int> clientPorts)
    {
        foreach (int port in clientPorts)
        {
            _silencedPorts[port] = true;
        }
    }

    /// <summary>Lets traffic of these client ports through again (the network came back).</summary>
    public void Unsilence(IEnumerable<int> clientPorts)
    {
        foreach (int port in clientPorts)
        {
            _silencedPorts.TryRemove(port, out _);
        }
    }

    private bool IsSilenced(IPEndPoint client) => _silencedPorts.ContainsKey(client.Port);

    /// <summary>Client legs in the order clients first sent through the relay.</summary>
    public IReadOnlyList<Leg> Legs => _legs.Values.OrderBy(l => l.Order).ToList();

    public void Start(int serverPort)
    {
        _server = new IPEndPoint(IPAddress.Loopback, serverPort);
        new Thread(FrontLoop) { IsBackground = true, Name = "relay-front" }.Start();
    }

    // Dedicated threads with blocking receives, not async loops: on two busy cores the test process's thread pool
    // can lag by hundreds of milliseconds, which would look to both ends like a congested network.
    private void FrontLoop()
    {
        var buffer = new byte[2048];
        while (!_stop.IsCancellationRequested)
        {
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            int n;
            try
            {
                n = _front.ReceiveFrom(buffer, SocketFlags.None, ref from);
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested) return;
                continue;
            }
            var client = (IPEndPoint)from;
            Leg leg = _legs.GetOrAdd(client, c => new Leg(this, c, _legs.Count));
            byte[] datagram = buffer.AsSpan(0, n).ToArray();
            if (IsSilenced(client))
            {
                continue;
            }
            leg.Record(datagram);
            ImpairedPath? path = leg.UpstreamPath ?? Upstream;
            try
            {
                if (path is not null)
                {
                    path.Send(leg.Upstream, datagram, _server!);
                }
                else
                {
                    leg.Upstream.SendTo(datagram, SocketFlags.None, _server!);
                }
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested) return;
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _front.Dispose();
        foreach (Leg leg in _legs.Values)
        {
            leg.Upstream.Dispose();
        }
    }

    /// <summary>One client's path through the relay.</summary>
    public sealed class Leg
    {
        private readonly UdpRelay _relay;
        private readonly ConcurrentQueue<byte[]> _recent = new();

        internal Leg(UdpRelay relay, IPEndPoint client, int order)
        {
            _relay = relay;
            Client = client;
            Order = order;
            Upstream.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            new Thread(BackLoop) { IsBackground = true, Name = "relay-leg" }.Start();
        }

        public IPEndPoint Client { get; }
        public int Order { get; }
        public Socket Upstream { get; } = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

        /// <summary>This leg's client → server impairment, overriding <see cref="UdpRelay.Upstream"/>.</summary>
        public ImpairedPath? UpstreamPath { get; set; }

        /// <summary>This leg's server → client impairment, overriding <see cref="UdpRelay.Downstream"/>.</summary>
        public ImpairedPath? DownstreamPath { get; set; }

        /// <summary>The most recent datagrams the client sent whose first byte says RTP/RTCP (RFC 7983).</summary>
        public IReadOnlyList<byte[]> RecentSrtp => _recent.ToArray();


        /// <summary>Sends a datagram to the server from this client's upstream address.</summary>
        public void InjectToServer(ReadOnlySpan<byte> datagram) => Upstream.SendTo(datagram, SocketFlags.None, _relay._server!);

        internal void Record(byte[] datagram)
        {
            if (datagram.Length > 12 && datagram[0] is >= 128 and <= 191)
            {
                _recent.Enqueue(datagram);
                while (_recent.Count > 64 && _recent.TryDequeue(out _))
                {
                }
            }
        }

        private void BackLoop()
        {
            var buffer = new byte[2048];
            while (!_relay._stop.IsCancellationRequested)
            {
                try
                {
                    int n = Upstream.Receive(buffer, SocketFlags.None);
                    if (_relay.IsSilenced(Client))
                    {
                        continue;
                    }
                    ImpairedPath? path = DownstreamPath ?? _relay.Downstream;
                    if (path is not null)
                    {
                        path.Send(_relay._front, buffer.AsSpan(0, n), Client);
                        continue;
                    }
                    _relay._front.SendTo(buffer.AsSpan(0, n), SocketFlags.None, Client);
                }
                catch (Exception e) when (e is ObjectDisposedException or SocketException)
                {
                    if (_relay._stop.IsCancellationRequested) return;
                }
            }
        }
    }
}
