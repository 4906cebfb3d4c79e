using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using MediaRelay.Core;

namespace MediaRelay.Transport.Stun;

/// <summary>
/// Writes one STUN message (RFC 8489 §5, §14) into a caller-provided span, allocation-free. Call
/// <see cref="Begin"/>, then the Add methods in wire order; MESSAGE-INTEGRITY and FINGERPRINT last.
/// The header length is kept current after every attribute. Running out of space is a programming
/// error (size the buffer for the message you build) and throws <see cref="ArgumentException"/>.
/// </summary>
public ref struct StunMessageWriter
{
    private readonly Span<byte> _buffer;
    private int _length;

    public StunMessageWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _length = 0;
        PaddingByte = 0;
    }

    /// <summary>Value of the bytes that pad attributes to 4 (RFC 8489 §14: any value; default zero).</summary>
    public byte PaddingByte { get; set; }

    /// <summary>Bytes written so far, header included.</summary>
    public readonly int Length => _length;

    /// <summary>The message written so far.</summary>
    public readonly ReadOnlySpan<byte> WrittenSpan => _buffer.Slice(0, _length);

    /// <summary>Writes the 20-byte header (RFC 8489 §5) with a 12-byte transaction id.</summary>
    public void Begin(ushort messageType, ReadOnlySpan<byte> transactionId)
    {
        if (transactionId.Length != 12)
        {
            ThrowHelper.ThrowArgument("A STUN transaction id is 12 bytes.", nameof(transactionId));
        }
        if (_buffer.Length < StunMessage.HeaderLength)
        {
            ThrowHelper.ThrowArgument("Buffer too small for a STUN header.");
        }
        BinaryPrimitives.WriteUInt16BigEndian(_buffer, (ushort)(messageType & 0x3FFF));
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.Slice(2), 0);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.Slice(4), StunMessage.MagicCookie);
        transactionId.CopyTo(_buffer.Slice(8));
        _length = StunMessage.HeaderLength;
    }

    /// <summary>Appends any attribute (type, value; padding added).</summary>
    public void AddAttribute(ushort type, ReadOnlySpan<byte> value)
        => value.CopyTo(Reserve(type, value.Length));

    /// <summary>Appends a 32-bit attribute such as PRIORITY.</summary>
    public void AddUInt32(ushort type, uint value)
        => BinaryPrimitives.WriteUInt32BigEndian(Reserve(type, 4), value);

    /// <summary>Appends a 64-bit attribute such as ICE-CONTROLLING.</summary>
    public void AddUInt64(ushort type, ulong value)
        => BinaryPrimitives.WriteUInt64BigEndian(Reserve(type, 8), value);

    /// <summary>USERNAME (RFC 8489 §14.3).</summary>
    public void AddUsername(ReadOnlySpan<byte> username) => AddAttribute(StunAttributeType.Username, username);

    /// <summary>PRIORITY (RFC 8445 §7.1.1).</summary>
    public void AddPriority(uint priority) => AddUInt32(StunAttributeType.Priority, priority);

    /// <summary>ICE-CONTROLLING (RFC 8445 §7.1.3).</summary>
    public void AddIceControlling(ulong tieBreaker) => AddUInt64(StunAttributeType.IceControlling, tieBreaker);

    /// <summary>ICE-CONTROLLED (RFC 8445 §7.1.3).</summary>
    public void AddIceControlled(ulong tieBreaker) => AddUInt64(StunAttributeType.IceControlled, tieBreaker);

    /// <summary>USE-CANDIDATE (RFC 8445 §7.1.2), no value.</summary>
    public void AddUseCandidate() => Reserve(StunAttributeType.UseCandidate, 0);

    /// <summary>ERROR-CODE (RFC 8489 §14.8): code 300..699 and a UTF-8 reason phrase.</summary>
    public void AddErrorCode(int code, ReadOnlySpan<byte> reason)
    {
        if (code < 300 || code > 699)
        {
            ThrowHelper.ThrowArgument("STUN error codes are 300..699.", nameof(code));
        }
        Span<byte> v = Reserve(StunAttributeType.ErrorCode, 4 + reason.Length);
        v[0] = 0;
        v[1] = 0;
        v[2] = (byte)(code / 100);
        v[3] = (byte)(code % 100);
        reason.CopyTo(v.Slice(4));
    }

    /// <summary>
    /// XOR-MAPPED-ADDRESS (RFC 8489 §14.2) from a raw socket address (IPv4 or IPv6; an IPv4-mapped
    /// IPv6 address is written as IPv4). Reads the sockaddr layout: port at 2, IPv4 at 4, IPv6 at 8.
    /// </summary>
    public void AddXorMappedAddress(SocketAddress address)
    {
        ReadOnlySpan<byte> sa = address.Buffer.Span;
        ushort port = BinaryPrimitives.ReadUInt16BigEndian(sa.Slice(2));
        if (address.Family == AddressFamily.InterNetwork)
        {
            WriteXorAddress(sa.Slice(4, 4), port);
        }
        else if (address.Family == AddressFamily.InterNetworkV6)
        {
            WriteXorAddress(sa.Slice(8, 16), port);
        }
        else
        {
            ThrowHelper.ThrowArgument("Only IPv4 and IPv6 addresses can be mapped.", nameof(address));
        }
    }

    /// <summary>XOR-MAPPED-ADDRESS (RFC 8489 §14.2) from an address and port.</summary>
    public void AddXorMappedAddress(IPAddress address, int port)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out int written))
        {
            ThrowHelper.ThrowArgument("Unsupported address.", nameof(address));
        }
        WriteXorAddress(bytes.Slice(0, written), (ushort)port);
    }

    /// <summary>
    /// MESSAGE-INTEGRITY (RFC 8489 §14.5): HMAC-SHA1 over the message so far, with the header length
    /// already counting this attribute.
    /// </summary>
    public void AddMessageIntegrity(ReadOnlySpan<byte> key)
    {
        int covered = _length;
        Span<byte> mac = Reserve(StunAttributeType.MessageIntegrity, 20);
        HMACSHA1.HashData(key, _buffer.Slice(0, covered), mac);
    }

    /// <summary>FINGERPRINT (RFC 8489 §14.7): CRC-32 of the message so far XOR 0x5354554E.</summary>
    public void AddFingerprint()
    {
        int covered = _length;
        Span<byte> v = Reserve(StunAttributeType.Fingerprint, 4);
        BinaryPrimitives.WriteUInt32BigEndian(v, StunCrc32.Compute(_buffer.Slice(0, covered)) ^ StunMessage.FingerprintXor);
    }

    private void WriteXorAddress(scoped ReadOnlySpan<byte> address, ushort port)
    {
        if (address.Length == 16 && IsIPv4Mapped(address))
        {
            address = address.Slice(12);
        }
        Span<byte> v = Reserve(StunAttributeType.XorMappedAddress, 4 + address.Length);
        v[0] = 0;
        v[1] = address.Length == 4 ? (byte)0x01 : (byte)0x02;
        BinaryPrimitives.WriteUInt16BigEndian(v.Slice(2), (ushort)(port ^ (StunMessage.MagicCookie >> 16)));
        Span<byte> mask = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(mask, StunMessage.MagicCookie);
        _buffer.Slice(8, 12).CopyTo(mask.Slice(4));
        for (int i = 0; i < address.Length; i++)
        {
            v[4 + i] = (byte)(address[i] ^ mask[i]);
        }
    }

    private static bool IsIPv4Mapped(ReadOnlySpan<byte> v6)
        => v6.Slice(0, 10).IndexOfAnyExcept((byte)0) < 0 && v6[10] == 0xFF && v6[11] == 0xFF;

    // Writes the attribute header and padding, bumps the header length, returns the value span.
    private Span<byte> Reserve(ushort type, int valueLength)
    {
        if (_length < StunMessage.HeaderLength)
        {
            ThrowHelper.ThrowInvalidOperation("Call Begin before adding STUN attributes.");
        }
        int padded = (valueLength + 3) & ~3;
        int total = _length + 4 + padded;
        if (valueLength > ushort.MaxValue || total > _buffer.Length || total - StunMessage.HeaderLength > ushort.MaxValue)
        {
            ThrowHelper.ThrowArgument("STUN message buffer too small.");
        }
        Span<byte> attr = _buffer.Slice(_length, 4 + padded);
        BinaryPrimitives.WriteUInt16BigEndian(attr, type);
        BinaryPrimitives.WriteUInt16BigEndian(attr.Slice(2), (ushort)valueLength);
        attr.Slice(4 + valueLength).Fill(PaddingByte);
        _length = total;
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.Slice(2), (ushort)(total - StunMessage.HeaderLength));
        return attr.Slice(4, valueLength);
    }
}
