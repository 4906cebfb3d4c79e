using System.Buffers.Binary;
using System.Numerics;

namespace MediaRelay.Rtp.Rtcp;

/// <summary>
/// Receiver Estimated Maximum Bitrate: PSFB (PT=206) FMT=15 with the 'REMB' identifier
/// (draft-alvestrand-rmcat-remb-03 §2.2, https://datatracker.ietf.org/doc/html/draft-alvestrand-rmcat-remb-03#section-2.2):
/// <code>
/// header | SSRC of packet sender | SSRC of media source (0)
/// 'R' 'E' 'M' 'B' | Num SSRC (8) | BR Exp (6) | BR Mantissa (18) | SSRC feedback x Num SSRC
/// </code>
/// Bitrate in bits/s = mantissa * 2^exp.
/// </summary>
public readonly ref struct RtcpRemb
{
    public const int Format = 15;
    public const uint Identifier = 0x52454D42; // "REMB"
    private const int SsrcOffset = 20;
    private const uint MaxMantissa = 0x3FFFF;

    private readonly Span<byte> _buffer;

    private RtcpRemb(Span<byte> buffer) => _buffer = buffer;

    public static bool TryParse(Span<byte> buffer, out RtcpRemb remb)
    {
        remb = default;
        if (!RtcpHeader.TryGetTyped(buffer, RtcpPacketType.PayloadFeedback, Format, SsrcOffset, out Span<byte> packet, out int content)
            || BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(12)) != Identifier
            || SsrcOffset + (packet[16] * 4) > content)
        {
            return false;
        }
        remb = new RtcpRemb(packet);
        return true;
    }

    public Span<byte> Buffer => _buffer;

    public uint SenderSsrc
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(4));
        set => BinaryPrimitives.WriteUInt32BigEndian(_buffer.Slice(4), value);
    }

    public uint MediaSsrc
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(8));
        set => BinaryPrimitives.WriteUInt32BigEndian(_buffer.Slice(8), value);
    }

    /// <summary>Estimated bitrate in bits per second (saturates at ulong.MaxValue).</summary>
    public ulong Bitrate
    {
        get
        {
            uint word = BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(16));
            int exponent = (int)((word >> 18) & 0x3F);
            ulong mantissa = word & MaxMantissa;
            if (mantissa != 0 && exponent > BitOperations.LeadingZeroCount(mantissa))
            {
                return ulong.MaxValue;
            }
            return mantissa << exponent;
        }
    }

    public int SsrcCount => _buffer[16];

    public uint GetSsrc(int index) => BinaryPrimitives.ReadUInt32BigEndian(Ssrc(index));

    public void SetSsrc(int index, uint ssrc) => BinaryPrimitives.WriteUInt32BigEndian(Ssrc(index), ssrc);

    private Span<byte> Ssrc(int index)
    {
        if ((uint)index >= (uint)SsrcCount)
        {
            Core.ThrowHelper.ThrowArgument("REMB SSRC index out of range.", nameof(index));
        }
        return _buffer.Slice(SsrcOffset + (index * 4), 4);
    }

    public static int GetLength(int ssrcCount) => SsrcOffset + (ssrcCount * 4);

    /// <summary>
    /// Writes a REMB for up to 255 SSRCs, rounding the bitrate down to an 18-bit mantissa. Returns the bytes
    /// written, or 0 when it does not fit.
    /// </summary>
    public static int Write(Span<byte> destination, uint senderSsrc, ulong bitrate, ReadOnlySpan<uint> ssrcs)
    {
        int length = GetLength(ssrcs.Length);
        if (ssrcs.Length > 255 || destination.Length < length)
        {
            return 0;
        }
        int exponent = 0;
        while ((bitrate >> exponent) > MaxMantissa)
        {
            exponent++;
        }
        uint mantissa = (uint)(bitrate >> exponent);

        RtcpHeader.Write(destination, Format, RtcpPacketType.PayloadFeedback, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4), senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(8), 0);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(12), Identifier);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(16), ((uint)ssrcs.Length << 24) | ((uint)exponent << 18) | mantissa);
        for (int i = 0; i < ssrcs.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(SsrcOffset + (i * 4)), ssrcs[i]);
        }
        return length;
    }
}
