using System.Buffers.Binary;

namespace MediaRelay.Rtp;

/// <summary>
/// A view over one RTP packet in a caller-owned buffer (RFC 3550 §5.1, https://www.rfc-editor.org/rfc/rfc3550#section-5.1).
/// Getters read the wire bytes, setters rewrite them in place; nothing is copied or allocated.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
/// |                           timestamp                           |
/// |           synchronization source (SSRC) identifier            |
/// |            contributing source (CSRC) identifiers  (CC x 32)  |
/// | profile (0xBEDE / 0x100x)     |  length (32-bit words)        |  (if X)
/// </code>
/// </remarks>
public readonly ref struct RtpPacket
{
    /// <summary>Size of the fixed header (no CSRCs, no extension).</summary>
    public const int FixedHeaderLength = 12;

    /// <summary>RFC 8285 §4.2 one-byte header extension profile.</summary>
    public const ushort OneByteExtensionProfile = 0xBEDE;

    /// <summary>RFC 8285 §4.3 two-byte header extension profile (low 4 bits are "appbits").</summary>
    public const ushort TwoByteExtensionProfile = 0x1000;

    private readonly Span<byte> _buffer;
    private readonly int _headerLength;
    private readonly int _paddingLength;

    private RtpPacket(Span<byte> buffer, int headerLength, int paddingLength)
    {
        _buffer = buffer;
        _headerLength = headerLength;
        _paddingLength = paddingLength;
    }

    /// <summary>
    /// Validates version 2, the CSRC list, the extension length and the padding count against the buffer
    /// (RFC 3550 §5.1, §A.1). Returns false for anything malformed; never throws.
    /// </summary>
    public static bool TryParse(Span<byte> buffer, out RtpPacket packet)
    {
        packet = default;
        if (buffer.Length < FixedHeaderLength)
        {
            return false;
        }

        byte b0 = buffer[0];
        if ((b0 >> 6) != 2)
        {
            return false;
        }

        int headerLength = FixedHeaderLength + ((b0 & 0x0F) * 4);
        if ((b0 & 0x10) != 0)
        {
            if (headerLength + 4 > buffer.Length)
            {
                return false;
            }
            int extensionWords = BinaryPrimitives.ReadUInt16BigEndian(buffer.Slice(headerLength + 2));
            headerLength += 4 + (extensionWords * 4);
        }
        if (headerLength > buffer.Length)
        {
            return false;
        }

        int padding = 0;
        if ((b0 & 0x20) != 0)
        {
            padding = buffer[^1];
            // The count includes itself, so 0 is invalid (RFC 3550 §5.1, P bit).
            if (padding == 0 || headerLength + padding > buffer.Length)
            {
                return false;
            }
        }

        packet = new RtpPacket(buffer, headerLength, padding);
        return true;
    }

    /// <summary>
    /// RFC 5761 §4 (https://www.rfc-editor.org/rfc/rfc5761#section-4): with rtcp-mux, a datagram whose second
    /// octet (marker bit + payload type) is 192..223 is RTCP (packet types 192..223), otherwise RTP.
    /// </summary>
    public static bool LooksLikeRtcp(ReadOnlySpan<byte> buffer) => buffer.Length >= 2 && buffer[1] >= 192 && buffer[1] <= 223;

    /// <summary>The whole packet (header, payload, padding).</summary>
    public Span<byte> Buffer => _buffer;

    public int Length => _buffer.Length;

    public int Version => _buffer[0] >> 6;

    public bool HasPadding => (_buffer[0] & 0x20) != 0;

    public bool HasExtension => (_buffer[0] & 0x10) != 0;

    public int CsrcCount => _buffer[0] & 0x0F;

    public bool Marker
    {
        get => (_buffer[1] & 0x80) != 0;
        set => _buffer[1] = (byte)(value ? _buffer[1] | 0x80 : _buffer[1] & 0x7F);
    }

    /// <summary>7-bit payload type; the setter keeps the marker bit.</summary>
    public byte PayloadType
    {
        get => (byte)(_buffer[1] & 0x7F);
        set => _buffer[1] = (byte)((_buffer[1] & 0x80) | (value & 0x7F));
    }

    public ushort SequenceNumber
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(2));
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer.Slice(2), value);
    }

    public uint Timestamp
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(4));
        set => BinaryPrimitives.WriteUInt32BigEndian(_buffer.Slice(4), value);
    }

    public uint Ssrc
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(8));
        set => BinaryPrimitives.WriteUInt32BigEndian(_buffer.Slice(8), value);
    }

    /// <summary>Header length including the CSRC list and the header extension.</summary>
    public int HeaderLength => _headerLength;

    public int PaddingLength => _paddingLength;

    public int PayloadLength => _buffer.Length - _headerLength - _paddingLength;

    public Span<byte> Payload => _buffer.Slice(_headerLength, PayloadLength);

    /// <summary>The 16-bit "defined by profile" field, or 0 without an extension.</summary>
    public ushort ExtensionProfile =>
        HasExtension ? BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(ExtensionOffset)) : (ushort)0;

    /// <summary>The extension body (after its 4-byte header), empty without an extension.</summary>
    public Span<byte> ExtensionData =>
        HasExtension ? _buffer.Slice(ExtensionOffset + 4, _headerLength - ExtensionOffset - 4) : Span<byte>.Empty;

    private int ExtensionOffset => FixedHeaderLength + (CsrcCount * 4);

    public uint GetCsrc(int index)
    {
        if ((uint)index >= (uint)CsrcCount)
        {
            Core.ThrowHelper.ThrowArgument("CSRC index out of range.");
        }
        return BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(FixedHeaderLength + (index * 4)));
    }

    /// <summary>
    /// Finds header extension element <paramref name="id"/> in the one-byte (RFC 8285 §4.2) or two-byte
    /// (RFC 8285 §4.3) form. Padding bytes are skipped; id 15 in the one-byte form stops parsing.
    /// </summary>
    public bool TryGetExtension(int id, out ReadOnlySpan<byte> value)
    {
        bool found = TryGetWritableExtension(id, out Span<byte> writable);
        value = writable;
        return found;
    }

    /// <summary>As <see cref="TryGetExtension"/>, but the value can be rewritten in place (e.g. transport-cc seq).</summary>
    public bool TryGetWritableExtension(int id, out Span<byte> value)
    {
        value = default;
        if (!HasExtension || id <= 0)
        {
            return false;
        }

        ushort profile = ExtensionProfile;
        Span<byte> data = ExtensionData;
        if (profile == OneByteExtensionProfile)
        {
            return id < 15 && RtpExtensionReader.TryFindOneByte(data, id, out value);
        }
        if ((profile & 0xFFF0) == TwoByteExtensionProfile)
        {
            return id <= 255 && RtpExtensionReader.TryFindTwoByte(data, id, out value);
        }
        return false;
    }
}
