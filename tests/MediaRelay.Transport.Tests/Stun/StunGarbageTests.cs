using System.Net;
using MediaRelay.Transport.Stun;

namespace MediaRelay.Transport.Tests.Stun;

/// <summary>The parser and every getter must survive random, truncated and bit-flipped input.</summary>
public class StunGarbageTests
{
    [Fact]
    public void Random_bytes_never_throw()
    {
        var rng = new Random(8489);
        byte[] data = new byte[600];
        for (int i = 0; i < 50_000; i++)
        {
            int length = rng.Next(0, data.Length);
            rng.NextBytes(data.AsSpan(0, length));
            if (i % 2 == 0 && length >= 20)
            {
                // Make half of them look like STUN so the attribute walk gets exercised.
                data[0] &= 0x3F;
                data[4] = 0x21; data[5] = 0x12; data[6] = 0xA4; data[7] = 0x42;
                int bodyLength = (length - 20) & ~3;
                data[2] = (byte)(bodyLength >> 8);
                data[3] = (byte)bodyLength;
            }
            Exercise(data.AsSpan(0, length));
        }
    }

    [Fact]
    public void Every_truncation_and_bit_flip_of_the_vectors_never_throws()
    {
        foreach (byte[] vector in new[] { Rfc5769Vectors.Request, Rfc5769Vectors.IPv4Response, Rfc5769Vectors.IPv6Response })
        {
            for (int length = 0; length <= vector.Length; length++)
            {
                Exercise(vector.AsSpan(0, length));
            }
            byte[] copy = (byte[])vector.Clone();
            for (int bit = 0; bit < copy.Length * 8; bit++)
            {
                copy[bit / 8] ^= (byte)(1 << (bit % 8));
                Exercise(copy);
                copy[bit / 8] ^= (byte)(1 << (bit % 8));
            }
        }
    }

    private static void Exercise(ReadOnlySpan<byte> data)
    {
        if (StunMessage.TryParse(data, out var m) != StunParseStatus.Ok)
        {
            return;
        }
        _ = m.MessageType + m.Method + (int)m.Class + m.TransactionId.Length + m.Username.Length;
        _ = m.HasUseCandidate;
        _ = m.TryGetPriority(out _);
        _ = m.TryGetIceControlling(out _);
        _ = m.TryGetIceControlled(out _);
        _ = m.TryGetErrorCode(out _, out _);
        _ = m.TryGetXorMappedAddress(out IPEndPoint? _);
        _ = m.TryGetAttribute(StunAttributeType.Software, out _);
        _ = m.VerifyMessageIntegrity(Rfc5769Vectors.Password);
        _ = m.VerifyFingerprint();
        _ = MediaRelay.Transport.Ice.StunUsername.TrySplit(m.Username, out _, out _);
    }
}
