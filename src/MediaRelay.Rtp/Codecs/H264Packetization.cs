using System.Buffers.Binary;

namespace MediaRelay.Rtp.Codecs;

/// <summary>
/// H.264 RTP payload structures (RFC 6184 §5, https://www.rfc-editor.org/rfc/rfc6184#section-5): the first byte is
/// a NAL unit header <c>F | NRI(2) | Type(5)</c>. Types 1-23 are single NAL units, 24 is STAP-A (§5.7.1), 28 is
/// FU-A (§5.8).
/// </summary>
public static class H264Packetization
{
    public const int NalTypeIdr = 5;
    public const int NalTypeSps = 7;
    public const int NalTypePps = 8;
    public const int NalTypeStapA = 24;
    public const int NalTypeFuA = 28;

    /// <summary>NAL unit type of the payload's first byte, or -1 when empty.</summary>
    public static int GetNalType(ReadOnlySpan<byte> payload) => payload.IsEmpty ? -1 : payload[0] & 0x1F;

    /// <summary>
    /// True when the packet starts a key frame: an IDR or SPS single NAL unit, a STAP-A aggregating one, or the
    /// start fragment (S bit) of an FU-A carrying an IDR or SPS.
    /// </summary>
    public static bool IsKeyframe(ReadOnlySpan<byte> payload)
    {
        int type = GetNalType(payload);
        switch (type)
        {
            case NalTypeIdr:
            case NalTypeSps:
                return true;
            case NalTypeStapA:
                int offset = 1;
                while (TryNextAggregated(payload, ref offset, out ReadOnlySpan<byte> nal))
                {
                    int inner = nal[0] & 0x1F;
                    if (inner == NalTypeIdr || inner == NalTypeSps)
                    {
                        return true;
                    }
                }
                return false;
            case NalTypeFuA:
                // FU indicator, then FU header: S | E | R | Type(5).
                if (payload.Length < 2 || (payload[1] & 0x80) == 0)
                {
                    return false;
                }
                int fragmentType = payload[1] & 0x1F;
                return fragmentType == NalTypeIdr || fragmentType == NalTypeSps;
            default:
                return false;
        }
    }

    /// <summary>
    /// The picture size of a sequence parameter set the packet carries, as a single NAL unit or inside a STAP-A
    /// (how browsers send SPS and PPS ahead of an IDR); false when it carries none (an SPS split into FU-A
    /// fragments is not read) or the SPS is malformed. Never throws.
    /// </summary>
    public static bool TryReadSpsSize(ReadOnlySpan<byte> payload, out int width, out int height)
    {
        width = 0;
        height = 0;
        switch (GetNalType(payload))
        {
            case NalTypeSps:
                return H264SequenceParameterSet.TryReadSize(payload, out width, out height);
            case NalTypeStapA:
                int offset = 1;
                while (TryNextAggregated(payload, ref offset, out ReadOnlySpan<byte> nal))
                {
                    if ((nal[0] & 0x1F) == NalTypeSps)
                    {
                        return H264SequenceParameterSet.TryReadSize(nal, out width, out height);
                    }
                }
                return false;
            default:
                return false;
        }
    }

    /// <summary>
    /// The next NAL unit of a STAP-A (RFC 6184 §5.7.1: after the STAP-A header, repeated NALU size (16) | NALU),
    /// from <paramref name="offset"/> (1 for the first); false at the end or at a size that is 0 or runs past it.
    /// </summary>
    private static bool TryNextAggregated(ReadOnlySpan<byte> stapA, ref int offset, out ReadOnlySpan<byte> nal)
    {
        nal = default;
        if (offset + 2 >= stapA.Length)
        {
            return false;
        }
        int size = BinaryPrimitives.ReadUInt16BigEndian(stapA.Slice(offset));
        if (size == 0 || offset + 2 + size > stapA.Length)
        {
            return false;
        }
        nal = stapA.Slice(offset + 2, size);
        offset += 2 + size;
        return true;
    }
}
