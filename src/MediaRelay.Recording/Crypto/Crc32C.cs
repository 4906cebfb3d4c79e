using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using System.Buffers.Binary;

namespace MediaRelay.Recording.Crypto;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as used by iSCSI (RFC 3720 §B.4) and ext4.
/// Hardware instructions when the CPU has them (SSE4.2 / ARMv8 CRC32), a table otherwise.
/// Usage: <c>state = Crc32C.Append(Crc32C.Initial, data); crc = Crc32C.Finish(state);</c>
/// </summary>
internal static class Crc32C
{
    public const uint Initial = 0xFFFFFFFFu;

    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Append(Initial, data));

    public static uint Finish(uint state) => ~state;

    public static uint Append(uint state, ReadOnlySpan<byte> data)
    {
        if (Sse42.X64.IsSupported)
        {
            ulong crc = state;
            while (data.Length >= 8)
            {
                crc = Sse42.X64.Crc32(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[8..];
            }
            state = (uint)crc;
            foreach (byte b in data)
            {
                state = Sse42.Crc32(state, b);
            }
            return state;
        }
        if (Crc32.Arm64.IsSupported)
        {
            while (data.Length >= 8)
            {
                state = Crc32.Arm64.ComputeCrc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[8..];
            }
            foreach (byte b in data)
            {
                state = Crc32.ComputeCrc32C(state, b);
            }
            return state;
        }
        uint[] table = Table;
        foreach (byte b in data)
        {
            state = table[(state ^ b) & 0xFF] ^ (state >> 8);
        }
        return state;
    }

    /// <summary>Table path only; lets tests cross-check the hardware path.</summary>
    internal static uint AppendSoftware(uint state, ReadOnlySpan<byte> data)
    {
        uint[] table = Table;
        foreach (byte b in data)
        {
            state = table[(state ^ b) & 0xFF] ^ (state >> 8);
        }
        return state;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0x82F63B78u ^ (c >> 1) : c >> 1;
            }
            table[i] = c;
        }
        return table;
    }
}
