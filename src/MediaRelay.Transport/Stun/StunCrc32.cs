namespace MediaRelay.Transport.Stun;

/// <summary>
/// CRC-32 (ISO-HDLC / IEEE 802.3, reflected polynomial 0xEDB88320) as used by the STUN FINGERPRINT
/// attribute (RFC 8489 §14.7, which refers to ITU-T V.42 §8.1.1.6.2). Table-driven, one byte per step.
/// </summary>
public static class StunCrc32
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint[] table = Table;
        uint crc = 0xFFFFFFFFu;
        for (int i = 0; i < data.Length; i++)
        {
            crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
        }
        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            table[n] = c;
        }
        return table;
    }
}
