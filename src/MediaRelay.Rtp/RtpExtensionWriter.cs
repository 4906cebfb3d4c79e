using System.Buffers.Binary;

namespace MediaRelay.Rtp;

/// <summary>
/// Appends a one-byte header extension block (RFC 8285 §4.2, https://www.rfc-editor.org/rfc/rfc8285#section-4.2)
/// after a header written by <see cref="RtpHeaderWriter"/>. Usage:
/// <code>
/// int n = RtpHeaderWriter.Write(buf, marker, pt, seq, ts, ssrc);
/// var ext = new RtpExtensionWriter(buf, n);
/// ext.TryAdd(1, audioLevel);
/// int headerLength = ext.End();   // pads to 32 bits, fixes the length and the X bit
/// </code>
/// </summary>
public ref struct RtpExtensionWriter
{
    private readonly Span<byte> _buffer;
    private readonly int _start;
    private int _position;
    private int _count;

    /// <param name="buffer">The packet buffer, with the RTP header (CSRCs included) at its start.</param>
    /// <param name="headerLength">Where the extension block begins (length of the header written so far).</param>
    public RtpExtensionWriter(Span<byte> buffer, int headerLength)
    {
        _buffer = buffer;
        _start = headerLength;
        _position = headerLength + 4;
        _count = 0;
    }

    /// <summary>Elements added so far.</summary>
    public readonly int Count => _count;

    /// <summary>
    /// Adds element <paramref name="id"/> (1..14) with 1..16 bytes of data. Returns false (writing nothing) when
    /// the id or length is out of range or the buffer is too small.
    /// </summary>
    public bool TryAdd(int id, scoped ReadOnlySpan<byte> value)
    {
        if (id < 1 || id > 14 || value.Length < 1 || value.Length > 16)
        {
            return false;
        }
        // Room for this element plus worst-case padding to the next 32-bit boundary.
        if (_position + 1 + value.Length + 3 > _buffer.Length)
        {
            return false;
        }
        _buffer[_position] = (byte)((id << 4) | (value.Length - 1));
        value.CopyTo(_buffer.Slice(_position + 1));
        _position += 1 + value.Length;
        _count++;
        return true;
    }

    /// <summary>
    /// Pads with zero bytes to a 32-bit boundary, writes the 0xBEDE profile and the length, sets the X bit, and
    /// returns the total header length. With no element added nothing is written and the X bit stays clear.
    /// </summary>
    public readonly int End()
    {
        if (_count == 0)
        {
            if (_buffer.Length > 0)
            {
                _buffer[0] &= 0xEF;
            }
            return _start;
        }
        int end = _position;
        while (((end - _start) & 3) != 0)
        {
            _buffer[end++] = 0;
        }
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.Slice(_start), RtpPacket.OneByteExtensionProfile);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.Slice(_start + 2), (ushort)((end - _start - 4) / 4));
        _buffer[0] |= 0x10;
        return end;
    }
}
