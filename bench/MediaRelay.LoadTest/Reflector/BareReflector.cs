using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using MediaRelay.Core;
using MediaRelay.Transport.Udp;

namespace MediaRelay.LoadTest.Reflector;

/// <summary>
/// The machine's limit for this load: MediaRelay's own socket loop (<see cref="UdpMediaSocket"/>, the same pooled
/// receive thread and send call) with no SFU behind it. A datagram from a registered publisher goes out unchanged
/// to every subscriber of its room; no decryption, no rewriting, no feedback. Peers register with a plain datagram
/// "MRRF" + kind ('P' or 'S') + room (int32) from their media socket.
/// </summary>
internal sealed class BareReflector : IUdpPacketHandler, IDisposable
{
    public const uint RegistrationMagic = 0x4D525246; // "MRRF"

    private readonly PacketPool _pool = new(maxPackets: 65536, preallocate: 4096);
    private readonly Dictionary<SocketAddress, int> _publisherRooms = new(SocketAddressComparer.Instance);
    private readonly Dictionary<SocketAddress, bool> _known = new(SocketAddressComparer.Instance);
    private SocketAddress[][] _subscribers = [];
    private readonly UdpMediaSocket _socket;

    public BareReflector(IPEndPoint bind)
    {
        _socket = new UdpMediaSocket(bind, _pool, this);
    }

    public IPEndPoint LocalEndPoint => _socket.LocalEndPoint;

    public long Forwarded { get; private set; }

    public void Start() => _socket.Start();

    public static int WriteRegistration(Span<byte> buffer, bool publisher, int room)
    {
        BinaryPrimitives.WriteUInt32BigEndian(buffer, RegistrationMagic);
        buffer[4] = (byte)(publisher ? 'P' : 'S');
        BinaryPrimitives.WriteInt32BigEndian(buffer[5..], room);
        return 9;
    }

    public void OnPacket(PooledPacket packet)
    {
        Span<byte> data = packet.Span;
        if (_publisherRooms.TryGetValue(packet.RemoteAddress, out int room))
        {
            SocketAddress[] subscribers = room < _subscribers.Length ? _subscribers[room] : [];
            foreach (SocketAddress subscriber in subscribers)
            {
                if (_socket.SendTo(data, subscriber))
                {
                    Forwarded++;
                }
            }
        }
        else if (data.Length == 9 && BinaryPrimitives.ReadUInt32BigEndian(data) == RegistrationMagic)
        {
            Register(packet.RemoteAddress, data[4] == 'P', BinaryPrimitives.ReadInt32BigEndian(data[5..]));
        }
        packet.Release();
    }

    // Cold path: a copy of the address, grown arrays.
    private void Register(SocketAddress from, bool publisher, int room)
    {
        if (room < 0 || room > 100_000)
        {
            return;
        }
        var address = new SocketAddress(from.Family, from.Size);
        from.Buffer.Span[..from.Size].CopyTo(address.Buffer.Span);
        if (!_known.TryAdd(address, publisher))
        {
            return; // registrations are sent more than once
        }
        if (publisher)
        {
            _publisherRooms[address] = room;
            return;
        }
        if (room >= _subscribers.Length)
        {
            Array.Resize(ref _subscribers, room + 1);
        }
        _subscribers[room] = [.. _subscribers[room] ?? [], address];
    }

    public void Dispose() => _socket.Dispose();
}
