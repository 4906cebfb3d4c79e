using MediaRelay.Rtp.Codecs;

namespace MediaRelay.Sfu;

/// <summary>
/// The VP8 picture numbering one subscriber sees: PictureID and TL0PICIDX of the RFC 7741 §4.2 payload descriptor
/// (https://www.rfc-editor.org/rfc/rfc7741#section-4.2). Every simulcast layer numbers its pictures on its own, so
/// at a layer switch the subscriber's numbers would jump to another sequence, and a receiver that tracks picture
/// references and missing pictures by these numbers sees hundreds of pictures lost, or pictures from the past. At
/// each sync point (a key frame) the offsets are set so the numbering continues: the key frame's PictureID is one
/// after the last one sent, its TL0PICIDX one after the last. Every later packet, retransmissions included, is
/// shifted by the same offsets in the consumer's own copy of the payload. A 7-bit PictureID wraps at 128, a 15-bit
/// one at 32768, TL0PICIDX at 256. Media loop only; a mutable struct; allocation-free.
/// </summary>
internal struct Vp8Numbering
{
    private const int LongMask = 0x7FFF;
    private const int ShortMask = 0x7F;

    private int _pictureIdDelta;
    private int _tl0Delta;
    private int _lastPictureId;
    private int _lastTl0;
    private bool _sentPictureId;
    private bool _sentTl0;

    /// <summary>The last PictureID written, -1 before any.</summary>
    public readonly int LastPictureId => _sentPictureId ? _lastPictureId : -1;

    /// <summary>The last TL0PICIDX written, -1 before any.</summary>
    public readonly int LastTl0PicIdx => _sentTl0 ? _lastTl0 : -1;

    /// <summary>A sync point: the packet whose payload this is continues the numbering from the last one sent.</summary>
    public void Rebase(ReadOnlySpan<byte> payload)
    {
        if (!Vp8PayloadDescriptor.TryParse(payload, out Vp8PayloadDescriptor descriptor))
        {
            return;
        }
        if (descriptor.PictureId >= 0 && _sentPictureId)
        {
            _pictureIdDelta = (_lastPictureId + 1 - descriptor.PictureId) & LongMask;
        }
        if (descriptor.Tl0PicIdx >= 0 && _sentTl0)
        {
            _tl0Delta = (_lastTl0 + 1 - descriptor.Tl0PicIdx) & 0xFF;
        }
    }

    /// <summary>Rewrites the descriptor of a payload copied for the subscriber, in place.</summary>
    public void Apply(Span<byte> payload)
    {
        if (!Vp8PayloadDescriptor.TryParse(payload, out Vp8PayloadDescriptor descriptor))
        {
            return;
        }
        if (descriptor.PictureIdOffset >= 0)
        {
            int mask = descriptor.HasLongPictureId ? LongMask : ShortMask;
            int id = (descriptor.PictureId + _pictureIdDelta) & mask;
            if (descriptor.HasLongPictureId)
            {
                payload[descriptor.PictureIdOffset] = (byte)(0x80 | (id >> 8));
                payload[descriptor.PictureIdOffset + 1] = (byte)id;
            }
            else
            {
                payload[descriptor.PictureIdOffset] = (byte)id;
            }
            if (!_sentPictureId || IsNewer(id, _lastPictureId, mask))
            {
                _lastPictureId = id;
                _sentPictureId = true;
            }
        }
        if (descriptor.Tl0PicIdxOffset >= 0)
        {
            int tl0 = (descriptor.Tl0PicIdx + _tl0Delta) & 0xFF;
            payload[descriptor.Tl0PicIdxOffset] = (byte)tl0;
            if (!_sentTl0 || IsNewer(tl0, _lastTl0, 0xFF))
            {
                _lastTl0 = tl0;
                _sentTl0 = true;
            }
        }
    }

    /// <summary>Whether <paramref name="a"/> follows <paramref name="b"/> in a numbering that wraps at mask + 1.</summary>
    private static bool IsNewer(int a, int b, int mask)
    {
        int ahead = (a - b) & mask;
        return ahead != 0 && ahead <= mask / 2;
    }
}
