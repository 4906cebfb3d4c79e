using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MediaRelay.Srtp.Crypto;

/// <summary>Vectorised data ^= keystream, the last step of AES counter mode.</summary>
internal static class KeystreamXor
{
    public static void Apply(Span<byte> data, ReadOnlySpan<byte> keystream)
    {
        int length = data.Length;
        if (keystream.Length < length)
        {
            length = keystream.Length;
        }

        ref byte d = ref MemoryMarshal.GetReference(data);
        ref byte k = ref MemoryMarshal.GetReference(keystream);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= length - 32; i += 32)
            {
                Vector256<byte> v = Vector256.LoadUnsafe(ref d, (nuint)i) ^ Vector256.LoadUnsafe(ref k, (nuint)i);
                v.StoreUnsafe(ref d, (nuint)i);
            }
        }

        for (; i <= length - 8; i += 8)
        {
            ulong v = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref d, i)) ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref k, i));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref d, i), v);
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref d, i) ^= Unsafe.Add(ref k, i);
        }
    }
}
