using System.Security.Cryptography;
using MediaRelay.Dtls;

namespace MediaRelay.Dtls.Tests;

/// <summary>RFC 8122 §5 fingerprint text form.</summary>
public sealed class DtlsFingerprintTests
{
    [Fact]
    public void Format_UppercaseHexWithColons()
    {
        Assert.Equal("00:0A:FF:7E", DtlsFingerprint.Format([0x00, 0x0A, 0xFF, 0x7E]));
        Assert.Equal(string.Empty, DtlsFingerprint.Format([]));
    }

    [Fact]
    public void ComputeSha256_KnownVector()
    {
        // SHA-256("abc") = ba7816bf 8f01cfea 414140de 5dae2223 b00361a3 96177a9c b410ff61 f20015ad (FIPS 180-2).
        Assert.Equal(
            "BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD",
            DtlsFingerprint.ComputeSha256("abc"u8));
    }

    [Fact]
    public void TryParse_RoundTripsAndAcceptsLowercase()
    {
        Assert.True(DtlsFingerprint.TryParse("ab:CD:0f", out byte[] hash));
        Assert.Equal(new byte[] { 0xAB, 0xCD, 0x0F }, hash);
        Assert.Equal("AB:CD:0F", DtlsFingerprint.Format(hash));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("A")]
    [InlineData("AB:")]
    [InlineData("AB-CD")]
    [InlineData("ABCD")]
    [InlineData("AB:CG")]
    [InlineData(":AB")]
    public void TryParse_Malformed_ReturnsFalse(string? text)
    {
        Assert.False(DtlsFingerprint.TryParse(text, out _));
    }

    [Fact]
    public void TryParse_RandomGarbage_NeverThrows()
    {
        var random = new Random(8122);
        const string Alphabet = "0123456789abcdefABCDEF:-xZ \t";
        for (int i = 0; i < 20000; i++)
        {
            char[] chars = new char[random.Next(0, 100)];
            for (int j = 0; j < chars.Length; j++)
            {
                chars[j] = Alphabet[random.Next(Alphabet.Length)];
            }

            DtlsFingerprint.TryParse(new string(chars), out _);
        }
    }

    [Fact]
    public void Matches_ComparesHash()
    {
        byte[] der = [1, 2, 3, 4];
        byte[] expected = SHA256.HashData(der);
        Assert.True(DtlsFingerprint.Matches(HashAlgorithmName.SHA256, expected, der));
        expected[31] ^= 1;
        Assert.False(DtlsFingerprint.Matches(HashAlgorithmName.SHA256, expected, der));
        Assert.False(DtlsFingerprint.Matches(HashAlgorithmName.SHA256, expected.AsSpan(0, 20), der));
    }

    [Theory]
    [InlineData("sha-256", true)]
    [InlineData("SHA-256", true)]
    [InlineData("sha-1", true)]
    [InlineData("sha-384", true)]
    [InlineData("sha-512", true)]
    [InlineData("md5", false)]
    public void TryGetHashAlgorithm_KnownNames(string name, bool known)
    {
        Assert.Equal(known, DtlsFingerprint.TryGetHashAlgorithm(name, out _));
    }
}
