using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Security.Cryptography;

namespace MediaRelay.Transport.Stun;

/// <summary>
/// A read-only view over one STUN message (RFC 8489 §5 header, §14 attributes). Nothing is copied:
/// <see cref="TryParse"/> validates the framing once and remembers where MESSAGE-INTEGRITY and
/// FINGERPRINT sit; getters scan the attribute list on demand (a binding request has about six).
/// Per RFC 8489 §14.5, attributes after MESSAGE-INTEGRITY other than MESSAGE-INTEGRITY-SHA256 and
/// FINGERPRINT are ignored by the getters.
/// </summary>
public readonly ref struct StunMessage
{
    /// <summary>Size of the fixed header (RFC 8489 §5).</summary>
    public const int HeaderLength = 20;

    /// <summary>The magic cookie in network order (RFC 8489 §5).</summary>
    public const uint MagicCookie = 0x2112A442;

    /// <summary>XOR constant of the FINGERPRINT attribute (RFC 8489 §14.7).</summary>
    public const uint FingerprintXor = 0x5354554E;

    private const int IntegrityValueLength = 20;
    private const int StackCopyLimit = 1024;

    private readonly ReadOnlySpan<byte> _data;
    private readonly int _integrityOffset;
    private readonly int _fingerprintOffset;

    private StunMessage(ReadOnlySpan<byte> data, int integrityOffset, int fingerprintOffset)
    {
        _data = data;
        _integrityOffset = integrityOffset;
        _fingerprintOffset = fingerprintOffset;
    }

    /// <summary>
    /// Validates the header (RFC 8489 §5: zero top bits, magic cookie, length a multiple of 4 and within
    /// the datagram) and the attribute TLV framing (§14). Bytes after the declared length are ignored.
    /// Never throws.
    /// </summary>
    public static StunParseStatus TryParse(ReadOnlySpan<byte> data, out StunMessage message)
    {
        message = default;
        if (data.Length < HeaderLength)
        {
            return StunParseStatus.TooShort;
        }
        if ((data[0] & 0xC0) != 0)
        {
            return StunParseStatus.NotStun;
        }
        if (BinaryPrimitives.ReadUInt32BigEndian(data.Slice(4)) != MagicCookie)
        {
            return StunParseStatus.BadMagicCookie;
        }
        int length = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(2));
        if ((length & 3) != 0)
        {
            return StunParseStatus.LengthNotMultipleOfFour;
        }
        if (length > data.Length - HeaderLength)
        {
            return StunParseStatus.LengthExceedsDatagram;
        }

        int end = HeaderLength + length;
        int offset = HeaderLength;
        int integrityOffset = -1;
        int fingerprintOffset = -1;
        while (offset < end)
        {
            if (fingerprintOffset >= 0)
            {
                return StunParseStatus.AttributeAfterFingerprint;
            }
            if (end - offset < 4)
            {
                return StunParseStatus.AttributeOutOfBounds;
            }
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(offset));
            int valueLength = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(offset + 2));
            int padded = (valueLength + 3) & ~3;
            if (padded > end - offset - 4)
            {
                return StunParseStatus.AttributeOutOfBounds;
            }
            if (type == StunAttributeType.MessageIntegrity && integrityOffset < 0)
            {
                if (valueLength != IntegrityValueLength)
                {
                    return StunParseStatus.InvalidAttributeLength;
                }
                integrityOffset = offset;
            }
            else if (type == StunAttributeType.Fingerprint)
            {
                if (valueLength != 4)
                {
                    return StunParseStatus.InvalidAttributeLength;
                }
                fingerprintOffset = offset;
            }
            offset += 4 + padded;
        }

        message = new StunMessage(data.Slice(0, end), integrityOffset, fingerprintOffset);
        return StunParseStatus.Ok;
    }

    /// <summary>The whole message (header and attributes, without trailing datagram bytes).</summary>
    public ReadOnlySpan<byte> Span => _data;

    /// <summary>Header plus attributes, in bytes.</summary>
    public int Length => _data.Length;

    /// <summary>The 14-bit message type, e.g. <see cref="StunMessageType.BindingRequest"/>.</summary>
    public ushort MessageType => BinaryPrimitives.ReadUInt16BigEndian(_data);

    /// <summary>The 12-bit method (RFC 8489 §5).</summary>
    public ushort Method => StunMessageType.GetMethod(MessageType);

    /// <summary>Request, indication, success or error response.</summary>
    public StunClass Class => StunMessageType.GetClass(MessageType);

    /// <summary>The 96-bit transaction id.</summary>
    public ReadOnlySpan<byte> TransactionId => _data.Slice(8, 12);

    public bool HasMessageIntegrity => _integrityOffset >= 0;

    public bool HasFingerprint => _fingerprintOffset >= 0;

    /// <summary>USERNAME value (RFC 8489 §14.3), empty when absent.</summary>
    public ReadOnlySpan<byte> Username
        => TryGetAttribute(StunAttributeType.Username, out var value) ? value : default;

    /// <summary>USE-CANDIDATE present (RFC 8445 §7.1.2)?</summary>
    public bool HasUseCandidate => TryGetAttribute(StunAttributeType.UseCandidate, out _);

    /// <summary>
    /// Finds the first attribute of the given type and returns its value without padding.
    /// </summary>
    public bool TryGetAttribute(ushort type, out ReadOnlySpan<byte> value)
    {
        int limit = _data.Length;
        if (type == StunAttributeType.Fingerprint)
        {
            return TryGetAt(_fingerprintOffset, out value);
        }
        if (type == StunAttributeType.MessageIntegrity)
        {
            return TryGetAt(_integrityOffset, out value);
        }
        if (_integrityOffset >= 0 && type != StunAttributeType.MessageIntegritySha256)
        {
            limit = _integrityOffset;
        }

        int offset = HeaderLength;
        while (offset < limit)
        {
            ushort t = BinaryPrimitives.ReadUInt16BigEndian(_data.Slice(offset));
            int length = BinaryPrimitives.ReadUInt16BigEndian(_data.Slice(offset + 2));
            if (t == type)
            {
                value = _data.Slice(offset + 4, length);
                return true;
            }
            offset += 4 + ((length + 3) & ~3);
        }
        value = default;
        return false;
    }

    /// <summary>PRIORITY (RFC 8445 §7.1.1).</summary>
    public bool TryGetPriority(out uint priority)
    {
        if (TryGetAttribute(StunAttributeType.Priority, out var v) && v.Length == 4)
        {
            priority = BinaryPrimitives.ReadUInt32BigEndian(v);
            return true;
        }
        priority = 0;
        return false;
    }

    /// <summary>ICE-CONTROLLING tie-breaker (RFC 8445 §7.1.3).</summary>
    public bool TryGetIceControlling(out ulong tieBreaker) => TryGetUInt64(StunAttributeType.IceControlling, out tieBreaker);

    /// <summary>ICE-CONTROLLED tie-breaker (RFC 8445 §7.1.3).</summary>
    public bool TryGetIceControlled(out ulong tieBreaker) => TryGetUInt64(StunAttributeType.IceControlled, out tieBreaker);

    /// <summary>ERROR-CODE (RFC 8489 §14.8): code = class * 100 + number, and the UTF-8 reason phrase.</summary>
    public bool TryGetErrorCode(out int code, out ReadOnlySpan<byte> reason)
    {
        if (TryGetAttribute(StunAttributeType.ErrorCode, out var v) && v.Length >= 4)
        {
            code = ((v[2] & 0x7) * 100) + v[3];
            reason = v.Slice(4);
            return true;
        }
        code = 0;
        reason = default;
        return false;
    }

    /// <summary>ERROR-CODE value, or 0 when the message carries none.</summary>
    public int ErrorCode => TryGetErrorCode(out int code, out _) ? code : 0;

    /// <summary>
    /// Decodes XOR-MAPPED-ADDRESS (RFC 8489 §14.2). Allocates the endpoint: for tests and clients,
    /// not for the server's receive path.
    /// </summary>
    public bool TryGetXorMappedAddress([NotNullWhen(true)] out IPEndPoint? endPoint)
    {
        endPoint = null;
        if (!TryGetAttribute(StunAttributeType.XorMappedAddress, out var v) || v.Length < 8)
        {
            return false;
        }
        int port = BinaryPrimitives.ReadUInt16BigEndian(v.Slice(2)) ^ (int)(MagicCookie >> 16);
        Span<byte> address = stackalloc byte[16];
        Span<byte> mask = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(mask, MagicCookie);
        TransactionId.CopyTo(mask.Slice(4));
        int addressLength = v[1] switch
        {
            0x01 when v.Length == 8 => 4,
            0x02 when v.Length == 20 => 16,
            _ => 0,
        };
        if (addressLength == 0)
        {
            return false;
        }
        for (int i = 0; i < addressLength; i++)
        {
            address[i] = (byte)(v[4 + i] ^ mask[i]);
        }
        endPoint = new IPEndPoint(new IPAddress(address.Slice(0, addressLength)), port);
        return true;
    }

    /// <summary>
    /// Checks MESSAGE-INTEGRITY (RFC 8489 §14.5): HMAC-SHA1 keyed by <paramref name="key"/> (for
    /// short-term credentials, the password bytes, §9.1.1) over the message up to the attribute, with
    /// the header length rewritten to end just after MESSAGE-INTEGRITY. Constant-time comparison.
    /// Allocation-free (the prefix is copied to the stack, or to a pooled array above 1 KiB).
    /// </summary>
    public bool VerifyMessageIntegrity(ReadOnlySpan<byte> key)
    {
        if (_integrityOffset < 0)
        {
            return false;
        }
        int prefixLength = _integrityOffset;
        byte[]? rented = null;
        Span<byte> prefix = prefixLength <= StackCopyLimit
            ? stackalloc byte[StackCopyLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(prefixLength));
        prefix = prefix.Slice(0, prefixLength);
        _data.Slice(0, prefixLength).CopyTo(prefix);
        BinaryPrimitives.WriteUInt16BigEndian(prefix.Slice(2), (ushort)(prefixLength + 4 + IntegrityValueLength - HeaderLength));

        Span<byte> mac = stackalloc byte[IntegrityValueLength];
        HMACSHA1.HashData(key, prefix, mac);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
        return CryptographicOperations.FixedTimeEquals(mac, _data.Slice(_integrityOffset + 4, IntegrityValueLength));
    }

    /// <summary>
    /// Checks FINGERPRINT (RFC 8489 §14.7): CRC-32 of the message up to the attribute, XOR 0x5354554E.
    /// FINGERPRINT is the last attribute, so the header length already covers it.
    /// </summary>
    public bool VerifyFingerprint()
    {
        if (_fingerprintOffset < 0)
        {
            return false;
        }
        uint expected = StunCrc32.Compute(_data.Slice(0, _fingerprintOffset)) ^ FingerprintXor;
        return BinaryPrimitives.ReadUInt32BigEndian(_data.Slice(_fingerprintOffset + 4)) == expected;
    }

    private bool TryGetAt(int offset, out ReadOnlySpan<byte> value)
    {
        if (offset < 0)
        {
            value = default;
            return false;
        }
        int length = BinaryPrimitives.ReadUInt16BigEndian(_data.Slice(offset + 2));
        value = _data.Slice(offset + 4, length);
        return true;
    }

    private bool TryGetUInt64(ushort type, out ulong result)
    {
        if (TryGetAttribute(type, out var v) && v.Length == 8)
        {
            result = BinaryPrimitives.ReadUInt64BigEndian(v);
            return true;
        }
        result = 0;
        return false;
    }
}
