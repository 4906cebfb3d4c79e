using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MediaRelay.Srtp.Crypto;

/// <summary>
/// BCL AES-CM + HMAC-SHA1 (RFC 3711 §4.1.1, §4.2.1). The keystream is AES-ECB over counter blocks through one
/// reused ECB <see cref="ICryptoTransform"/> (Aes.EncryptEcb allocates 64 B per call on .NET 10/Linux, measured),
/// the MAC is a reused <see cref="IncrementalHash"/> (faster than HMACSHA1.HashData, which re-keys per call).
/// </summary>
internal sealed class ManagedCounterModeCipher : SrtpCounterModeCipher
{
    private const int ChunkBlocks = 96; // 1536 bytes: one MTU-sized packet per TransformBlock call

    private readonly Aes _aes;
    private readonly ICryptoTransform _ecb;
    private readonly IncrementalHash? _hmac;
    private readonly byte[] _counters = new byte[ChunkBlocks * 16];
    private readonly byte[] _keystream = new byte[ChunkBlocks * 16];

    public ManagedCounterModeCipher(ReadOnlySpan<byte> key, ReadOnlySpan<byte> authKey)
    {
        _aes = Aes.Create();
        _aes.Key = key.ToArray();
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _ecb = _aes.CreateEncryptor();
        if (!authKey.IsEmpty)
        {
            _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, authKey);
        }
    }

    public override bool ApplyKeystream(ReadOnlySpan<byte> iv, Span<byte> data)
    {
        byte[] counters = _counters;
        byte[] keystream = _keystream;
        ushort low = BinaryPrimitives.ReadUInt16BigEndian(iv.Slice(14));
        int block = 0;
        while (!data.IsEmpty)
        {
            int bytes = Math.Min(data.Length, counters.Length);
            int blocks = (bytes + 15) >> 4;
            for (int b = 0; b < blocks; b++)
            {
                Span<byte> counter = counters.AsSpan(b << 4, 16);
                iv.Slice(0, 14).CopyTo(counter);
                BinaryPrimitives.WriteUInt16BigEndian(counter.Slice(14), (ushort)(low + block + b));
            }

            _ecb.TransformBlock(counters, 0, blocks << 4, keystream, 0);
            KeystreamXor.Apply(data.Slice(0, bytes), keystream);
            data = data.Slice(bytes);
            block += blocks;
        }

        return true;
    }

    public override bool ComputeMac(ReadOnlySpan<byte> data, ReadOnlySpan<byte> suffix, Span<byte> mac)
    {
        IncrementalHash? hmac = _hmac;
        if (hmac is null)
        {
            return false;
        }

        hmac.AppendData(data);
        hmac.AppendData(suffix);
        return hmac.GetHashAndReset(mac) == MacLength;
    }

    public override void Dispose()
    {
        _ecb.Dispose();
        _aes.Dispose();
        _hmac?.Dispose();
        CryptographicOperations.ZeroMemory(_keystream);
    }
}
