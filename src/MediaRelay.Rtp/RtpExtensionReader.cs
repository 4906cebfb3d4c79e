namespace MediaRelay.Rtp;

/// <summary>
/// Walks the elements of an RTP header extension block (RFC 8285 §4, https://www.rfc-editor.org/rfc/rfc8285#section-4).
/// </summary>
internal static class RtpExtensionReader
{
    /// <summary>
    /// One-byte form (RFC 8285 §4.2): <c>ID(4) | L(4)</c> then L+1 bytes. ID 0 is a padding byte;
    /// ID 15 is reserved and ends parsing.
    /// </summary>
    public static bool TryFindOneByte(Span<byte> data, int id, out Span<byte> value)
    {
        int i = 0;
        while (i < data.Length)
        {
            byte b = data[i];
            int elementId = b >> 4;
            if (elementId == 0)
            {
                i++;
                continue;
            }
            if (elementId == 15)
            {
                break;
            }
            int length = (b & 0x0F) + 1;
            if (i + 1 + length > data.Length)
            {
                break;
            }
            if (elementId == id)
            {
                value = data.Slice(i + 1, length);
                return true;
            }
            i += 1 + length;
        }
        value = default;
        return false;
    }

    /// <summary>
    /// Two-byte form (RFC 8285 §4.3): <c>ID(8) | L(8)</c> then L bytes (L may be 0). ID 0 is a padding byte.
    /// </summary>
    public static bool TryFindTwoByte(Span<byte> data, int id, out Span<byte> value)
    {
        int i = 0;
        while (i < data.Length)
        {
            int elementId = data[i];
            if (elementId == 0)
            {
                i++;
                continue;
            }
            if (i + 2 > data.Length)
            {
                break;
            }
            int length = data[i + 1];
            if (i + 2 + length > data.Length)
            {
                break;
            }
            if (elementId == id)
            {
                value = data.Slice(i + 2, length);
                return true;
            }
            i += 2 + length;
        }
        value = default;
        return false;
    }
}
