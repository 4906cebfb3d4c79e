namespace MediaRelay.Rtp.Codecs;

/// <summary>
/// VP8 payload descriptor (RFC 7741 §4.2, https://www.rfc-editor.org/rfc/rfc7741#section-4.2):
/// <code>
///      |X|R|N|S|R| PID |   (required)
/// X:   |I|L|T|K| RSV   |
/// I:   |M| PictureID   |   (+ one more byte when M: 15-bit PictureID)
/// L:   |   TL0PICIDX   |
/// T/K: |TID|Y| KEYIDX  |
/// </code>
/// Absent optional fields read as -1. The offsets let an SFU rewrite PictureID / TL0PICIDX in place.
/// </summary>
public readonly struct Vp8PayloadDescriptor
{
    /// <summary>Descriptor length in bytes (where the VP8 payload header starts).</summary>
    public int Length { get; init; }

    public bool Extended { get; init; }

    /// <summary>N: the frame can be discarded without affecting others.</summary>
    public bool NonReference { get; init; }

    /// <summary>S: first packet of a VP8 partition.</summary>
    public bool StartOfPartition { get; init; }

    public int PartitionIndex { get; init; }

    /// <summary>PictureID (7 or 15 bits), -1 when absent.</summary>
    public int PictureId { get; init; }

    public bool HasLongPictureId { get; init; }

    /// <summary>Offset of the PictureID field, -1 when absent.</summary>
    public int PictureIdOffset { get; init; }

    /// <summary>TL0PICIDX, -1 when absent.</summary>
    public int Tl0PicIdx { get; init; }

    public int Tl0PicIdxOffset { get; init; }

    /// <summary>Temporal layer index (TID), -1 when absent.</summary>
    public int TemporalLayerId { get; init; }

    /// <summary>Y: layer sync bit (only meaningful when TID is present).</summary>
    public bool LayerSync { get; init; }

    /// <summary>KEYIDX, -1 when absent.</summary>
    public int KeyIndex { get; init; }

    public static bool TryParse(ReadOnlySpan<byte> payload, out Vp8PayloadDescriptor descriptor)
    {
        descriptor = default;
        if (payload.IsEmpty)
        {
            return false;
        }
        byte b0 = payload[0];
        int offset = 1;
        int pictureId = -1, pictureIdOffset = -1, tl0 = -1, tl0Offset = -1, tid = -1, keyIdx = -1;
        bool longPictureId = false, layerSync = false;
        bool extended = (b0 & 0x80) != 0;
        if (extended)
        {
            if (offset >= payload.Length)
            {
                return false;
            }
            byte x = payload[offset++];
            if ((x & 0x80) != 0)
            {
                if (offset >= payload.Length)
                {
                    return false;
                }
                pictureIdOffset = offset;
                byte p = payload[offset++];
                if ((p & 0x80) != 0)
                {
                    if (offset >= payload.Length)
                    {
                        return false;
                    }
                    longPictureId = true;
                    pictureId = ((p & 0x7F) << 8) | payload[offset++];
                }
                else
                {
                    pictureId = p;
                }
            }
            if ((x & 0x40) != 0)
            {
                if (offset >= payload.Length)
                {
                    return false;
                }
                tl0Offset = offset;
                tl0 = payload[offset++];
            }
            if ((x & 0x30) != 0)
            {
                if (offset >= payload.Length)
                {
                    return false;
                }
                byte tk = payload[offset++];
                if ((x & 0x20) != 0)
                {
                    tid = tk >> 6;
                    layerSync = (tk & 0x20) != 0;
                }
                if ((x & 0x10) != 0)
                {
                    keyIdx = tk & 0x1F;
                }
            }
        }

        descriptor = new Vp8PayloadDescriptor
        {
            Length = offset,
            Extended = extended,
            NonReference = (b0 & 0x20) != 0,
            StartOfPartition = (b0 & 0x10) != 0,
            PartitionIndex = b0 & 0x07,
            PictureId = pictureId,
            HasLongPictureId = longPictureId,
            PictureIdOffset = pictureIdOffset,
            Tl0PicIdx = tl0,
            Tl0PicIdxOffset = tl0Offset,
            TemporalLayerId = tid,
            LayerSync = layerSync,
            KeyIndex = keyIdx,
        };
        return true;
    }

    /// <summary>
    /// True for the first packet of a key frame: S=1, PID=0 and the P bit (bit 0 of the VP8 payload header,
    /// RFC 7741 §4.3) clear.
    /// </summary>
    public static bool IsKeyframe(ReadOnlySpan<byte> payload) =>
        TryParse(payload, out var d)
        && d.StartOfPartition
        && d.PartitionIndex == 0
        && d.Length < payload.Length
        && (payload[d.Length] & 0x01) == 0;

    /// <summary>Rewrites the PictureID in place keeping its width (7 or 15 bits); false when absent.</summary>
    public bool TrySetPictureId(Span<byte> payload, int pictureId)
    {
        if (PictureIdOffset < 0 || PictureIdOffset + (HasLongPictureId ? 2 : 1) > payload.Length)
        {
            return false;
        }
        if (HasLongPictureId)
        {
            payload[PictureIdOffset] = (byte)(0x80 | ((pictureId >> 8) & 0x7F));
            payload[PictureIdOffset + 1] = (byte)pictureId;
        }
        else
        {
            payload[PictureIdOffset] = (byte)(pictureId & 0x7F);
        }
        return true;
    }

    /// <summary>Rewrites TL0PICIDX in place; false when absent.</summary>
    public bool TrySetTl0PicIdx(Span<byte> payload, byte tl0PicIdx)
    {
        if (Tl0PicIdxOffset < 0 || Tl0PicIdxOffset >= payload.Length)
        {
            return false;
        }
        payload[Tl0PicIdxOffset] = tl0PicIdx;
        return true;
    }
}
