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
                // STAP-A header, then repeated: NALU size (16) | NALU.
                int offset = 1;
                while (offset + 2 < payload.Length)
                {
                    int size = BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(offset));
                    offset += 2;
                    if (size == 0 || offset + size > payload.Length)
                    {
                        return false;
                    }
                    int inner = payload[offset] & 0x1F;
                    if (inner == NalTypeIdr || inner == NalTypeSps)
                    {
                        return true;
                    }
                    offset += size;
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
                while (offset + 2 < payload.Length)
                {
                    int size = BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(offset));
                    offset += 2;
                    if (size == 0 || offset + size > payload.Length)
                    {
                        return false;
                    }
                    ReadOnlySpan<byte> nal = payload.Slice(offset, size);
                    if ((nal[0] & 0x1F) == NalTypeSps)
                    {
                        return H264SequenceParameterSet.TryReadSize(nal, out width, out height);
                    }
                    offset += size;
                }
                return false;
            default:
                return false;
        }
    }
}
