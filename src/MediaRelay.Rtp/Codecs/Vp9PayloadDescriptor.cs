namespace MediaRelay.Rtp.Codecs;

/// <summary>
/// VP9 payload descriptor (RFC 9628 §4.2, https://www.rfc-editor.org/rfc/rfc9628#section-4.2), parsed far enough
/// for keyframe detection and layer selection:
/// <code>
///      |I|P|L|F|B|E|V|Z|   (required)
/// I:   |M| PICTURE ID  |   (+ extended byte when M)
/// L:   | TID |U| SID |D|   (+ TL0PICIDX byte in non-flexible mode, F=0)
/// F:   | P_DIFF      |N|   (flexible mode with P=1, up to 3 times)
/// V:   | SS ...        |   (scalability structure, §4.2.1)
/// </code>
/// Absent optional fields read as -1.
/// </summary>
public readonly struct Vp9PayloadDescriptor
{
    /// <summary>Descriptor length in bytes (where the VP9 frame data starts).</summary>
    public int Length { get; init; }

    /// <summary>P: the picture is inter-predicted (not a key picture at this layer).</summary>
    public bool InterPicturePredicted { get; init; }

    /// <summary>F: flexible mode.</summary>
    public bool FlexibleMode { get; init; }

    /// <summary>B: first packet of a layer frame.</summary>
    public bool StartOfFrame { get; init; }

    /// <summary>E: last packet of a layer frame.</summary>
    public bool EndOfFrame { get; init; }

    public bool HasScalabilityStructure { get; init; }

    /// <summary>Z: not used as reference by upper spatial layers.</summary>
    public bool NotUpperLayerReference { get; init; }

    /// <summary>7- or 15-bit picture id, -1 when absent.</summary>
    public int PictureId { get; init; }

    public int TemporalLayerId { get; init; }

    /// <summary>U: switching up point.</summary>
    public bool SwitchingUpPoint { get; init; }

    public int SpatialLayerId { get; init; }

    /// <summary>D: inter-layer dependency on the spatial layer below.</summary>
    public bool InterLayerDependency { get; init; }

    public int Tl0PicIdx { get; init; }

    public static bool TryParse(ReadOnlySpan<byte> payload, out Vp9PayloadDescriptor descriptor)
    {
        descriptor = default;
        if (payload.IsEmpty)
        {
            return false;
        }
        byte b0 = payload[0];
        bool p = (b0 & 0x40) != 0;
        bool flexible = (b0 & 0x10) != 0;
        int offset = 1;
        int pictureId = -1, tid = -1, sid = -1, tl0 = -1;
        bool switchingUp = false, interLayer = false;

        if ((b0 & 0x80) != 0)
        {
            if (offset >= payload.Length)
            {
                return false;
            }
            byte pid = payload[offset++];
            if ((pid & 0x80) != 0)
            {
                if (offset >= payload.Length)
                {
                    return false;
                }
                pictureId = ((pid & 0x7F) << 8) | payload[offset++];
            }
            else
            {
                pictureId = pid;
            }
        }

        if ((b0 & 0x20) != 0)
        {
            if (offset >= payload.Length)
            {
                return false;
            }
            byte layer = payload[offset++];
            tid = layer >> 5;
            switchingUp = (layer & 0x10) != 0;
            sid = (layer >> 1) & 0x07;
            interLayer = (layer & 0x01) != 0;
            if (!flexible)
            {
                if (offset >= payload.Length)
                {
                    return false;
                }
                tl0 = payload[offset++];
            }
        }

        if (flexible && p)
        {
            // Reference indices: P_DIFF(7) | N; N=1 means another follows (at most 3).
            for (int i = 0; ; i++)
            {
                if (i == 3 || offset >= payload.Length)
                {
                    return false;
                }
                if ((payload[offset++] & 0x01) == 0)
                {
                    break;
                }
            }
        }

        if ((b0 & 0x02) != 0 && !TrySkipScalabilityStructure(payload, ref offset))
        {
            return false;
        }

        descriptor = new Vp9PayloadDescriptor
        {
            Length = offset,
            InterPicturePredicted = p,
            FlexibleMode = flexible,
            StartOfFrame = (b0 & 0x08) != 0,
            EndOfFrame = (b0 & 0x04) != 0,
            HasScalabilityStructure = (b0 & 0x02) != 0,
            NotUpperLayerReference = (b0 & 0x01) != 0,
            PictureId = pictureId,
            TemporalLayerId = tid,
            SwitchingUpPoint = switchingUp,
            SpatialLayerId = sid,
            InterLayerDependency = interLayer,
            Tl0PicIdx = tl0,
        };
        return true;
    }

    /// <summary>
    /// True for the first packet of a key picture at the base spatial layer: P=0, B=1 and SID 0 (or no layer
    /// indices).
    /// </summary>
    public static bool IsKeyframe(ReadOnlySpan<byte> payload) =>
        TryParse(payload, out var d) && !d.InterPicturePredicted && d.StartOfFrame && d.SpatialLayerId <= 0;

    /// <summary>SS (RFC 9628 §4.2.1): <c>N_S(3) | Y | G | -</c>, optional sizes, optional picture group.</summary>
    private static bool TrySkipScalabilityStructure(ReadOnlySpan<byte> payload, ref int offset)
    {
        if (offset >= payload.Length)
        {
            return false;
        }
        byte ss = payload[offset++];
        int spatialLayers = (ss >> 5) + 1;
        if ((ss & 0x10) != 0)
        {
            offset += spatialLayers * 4;
        }
        if ((ss & 0x08) != 0)
        {
            if (offset >= payload.Length)
            {
                return false;
            }
            int groupSize = payload[offset++];
            for (int i = 0; i < groupSize; i++)
            {
                if (offset >= payload.Length)
                {
                    return false;
                }
                int references = (payload[offset++] >> 2) & 0x03;
                offset += references;
            }
        }
        return offset <= payload.Length;
    }
}
