using System.Buffers.Binary;
using System.Text;

namespace MediaRelay.Rtp.Rtcp;

/// <summary>
/// Source description, PT=202 (RFC 3550 §6.5, https://www.rfc-editor.org/rfc/rfc3550#section-6.5): SC chunks, each
/// an SSRC followed by items <c>type(8) | length(8) | text</c>, ended by a null octet and padded to 32 bits.
/// Only CNAME (type 1, §6.5.1) is read or written here.
/// </summary>
public readonly ref struct RtcpSdes
{
    public const byte CnameItemType = 1;

    private readonly Span<byte> _buffer;
    private readonly int _contentLength;

    private RtcpSdes(Span<byte> buffer, int contentLength)
    {
        _buffer = buffer;
        _contentLength = contentLength;
    }

    public static bool TryParse(Span<byte> buffer, out RtcpSdes sdes)
    {
        sdes = default;
        if (!RtcpHeader.TryGetTyped(buffer, RtcpPacketType.SourceDescription, -1, RtcpHeader.Size, out Span<byte> packet, out int content))
        {
            return false;
        }
        sdes = new RtcpSdes(packet, content);
        return true;
    }

    public Span<byte> Buffer => _buffer;

    public int ChunkCount => _buffer[0] & 0x1F;

    /// <summary>Finds the first CNAME item of any chunk; false when none or when the chunks are malformed.</summary>
    public bool TryGetCname(out uint ssrc, out ReadOnlySpan<byte> cname)
    {
        ssrc = 0;
        cname = default;
        ReadOnlySpan<byte> b = _buffer.Slice(0, _contentLength);
        int offset = RtcpHeader.Size;
        for (int chunk = 0; chunk < ChunkCount; chunk++)
        {
            if (offset + 4 > b.Length)
            {
                return false;
            }
            uint chunkSsrc = BinaryPrimitives.ReadUInt32BigEndian(b.Slice(offset));
            offset += 4;
            while (true)
            {
                if (offset >= b.Length)
                {
                    return false;
                }
                byte type = b[offset];
                if (type == 0)
                {
                    offset = (offset + 4) & ~3;
                    break;
                }
                if (offset + 2 > b.Length || offset + 2 + b[offset + 1] > b.Length)
                {
                    return false;
                }
                int length = b[offset + 1];
                if (type == CnameItemType)
                {
                    ssrc = chunkSsrc;
                    cname = b.Slice(offset + 2, length);
                    return true;
                }
                offset += 2 + length;
            }
        }
        return false;
    }

    /// <summary>Packet length of an SDES with one CNAME chunk of <paramref name="cnameLength"/> bytes.</summary>
    public static int GetCnameLength(int cnameLength) => RtcpHeader.Size + ((4 + 2 + cnameLength + 1 + 3) & ~3);

    /// <summary>
    /// Writes an SDES packet with one chunk holding a CNAME item (at most 255 bytes). Returns the bytes written, or 0
    /// when it does not fit.
    /// </summary>
    public static int WriteCname(Span<byte> destination, uint ssrc, ReadOnlySpan<byte> cname)
    {
        int length = GetCnameLength(cname.Length);
        if (cname.Length > 255 || destination.Length < length)
        {
            return 0;
        }
        RtcpHeader.Write(destination, 1, RtcpPacketType.SourceDescription, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4), ssrc);
        destination[8] = CnameItemType;
        destination[9] = (byte)cname.Length;
        cname.CopyTo(destination.Slice(10));
        destination.Slice(10 + cname.Length, length - 10 - cname.Length).Clear();
        return length;
    }

    /// <summary>As <see cref="WriteCname(Span{byte}, uint, ReadOnlySpan{byte})"/>, encoding the text as UTF-8 without allocating.</summary>
    public static int WriteCname(Span<byte> destination, uint ssrc, ReadOnlySpan<char> cname)
    {
        Span<byte> utf8 = stackalloc byte[255];
        if (!Encoding.UTF8.TryGetBytes(cname, utf8, out int written))
        {
            return 0;
        }
        return WriteCname(destination, ssrc, (ReadOnlySpan<byte>)utf8.Slice(0, written));
    }
}
