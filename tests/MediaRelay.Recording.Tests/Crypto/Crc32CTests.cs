using MediaRelay.Recording.Crypto;

namespace MediaRelay.Recording.Tests.Crypto;

public class Crc32CTests
{
    // RFC 3720 §B.4 test patterns and the common "123456789" check value.
    [Theory]
    [InlineData("123456789", 0xE3069283u)]
    [InlineData("", 0x00000000u)]
    public void MatchesCheckValues(string text, uint expected)
    {
        Assert.Equal(expected, Crc32C.Compute(System.Text.Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void MatchesRfc3720Patterns()
    {
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));
        Assert.Equal(0x113FDB5Cu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray()));
    }

    [Fact]
    public void HardwareAndTablePathsAgree()
    {
        var random = new Random(5);
        for (int length = 0; length < 100; length++)
        {
            byte[] data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(Crc32C.Finish(Crc32C.AppendSoftware(Crc32C.Initial, data)), Crc32C.Compute(data));
            uint split = Crc32C.Append(Crc32C.Append(Crc32C.Initial, data.AsSpan(0, length / 3)), data.AsSpan(length / 3));
            Assert.Equal(Crc32C.Compute(data), Crc32C.Finish(split));
        }
    }
}
