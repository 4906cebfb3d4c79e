using MediaRelay.Recording.Crypto;

namespace MediaRelay.Recording.Tests.Crypto;

public class RecordingKeyTests
{
    [Fact]
    public void Base64RoundTripKeepsId()
    {
        RecordingKey key = RecordingKey.Generate();
        RecordingKey parsed = RecordingKey.FromBase64("  " + key.ToBase64() + "\n");
        Assert.Equal(key.Id, parsed.Id);
        Assert.Equal(16, key.IdHex.Length);
        Assert.NotEqual(key.Id, RecordingKey.Generate().Id);
    }

    [Fact]
    public void IdIsAFixedFingerprintOfTheKey()
    {
        // Golden value: first 8 bytes of SHA-256("MediaRelay recording key v1" || 32 zero bytes).
        var zero = new RecordingKey(new byte[32]);
        Span<byte> input = [.. "MediaRelay recording key v1"u8, .. new byte[32]];
        ulong expected = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(System.Security.Cryptography.SHA256.HashData(input));
        Assert.Equal(expected, zero.Id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("AAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void RejectsBadKeyText(string text)
    {
        var e = Assert.Throws<FormatException>(() => RecordingKey.FromBase64(text));
        Assert.Contains("32 bytes", e.Message);
    }

    [Fact]
    public void RejectsWrongKeyLength()
    {
        Assert.Throws<ArgumentException>(() => new RecordingKey(new byte[16]));
    }

    [Fact]
    public void DevelopmentKeyFileIsOwnerOnlyAndLoads()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mr-key-{Guid.NewGuid():N}");
        try
        {
            RecordingKey created = RecordingKeyFile.CreateDevelopmentKey(path);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
            Assert.Equal(created.Id, RecordingKeyFile.Load(path).Id);
            Assert.Equal(created.Id, RecordingKeyFile.LoadOrCreateDevelopmentKey(path).Id);
            Assert.Throws<IOException>(() => RecordingKeyFile.CreateDevelopmentKey(path));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
                Assert.Throws<InvalidOperationException>(() => RecordingKeyFile.LoadOrCreateDevelopmentKey(path));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
