namespace MediaRelay.Rtp;

/// <summary>
/// Client-to-mixer audio level (RFC 6464 §3, https://www.rfc-editor.org/rfc/rfc6464#section-3):
/// one byte <c>V(1) | level(7)</c>, level in -dBov (0 = loudest, 127 = silence).
/// </summary>
public readonly record struct AudioLevel(bool VoiceActivity, byte Level)
{
    /// <summary>Quietest level (-127 dBov).</summary>
    public const byte Silence = 127;

    public static AudioLevel Parse(byte value) => new((value & 0x80) != 0, (byte)(value & 0x7F));

    /// <summary>Reads the first byte of an extension value; false when it is empty.</summary>
    public static bool TryParse(ReadOnlySpan<byte> extensionValue, out AudioLevel level)
    {
        if (extensionValue.IsEmpty)
        {
            level = default;
            return false;
        }
        level = Parse(extensionValue[0]);
        return true;
    }

    public byte ToByte() => (byte)((VoiceActivity ? 0x80 : 0) | (Level & 0x7F));
}
