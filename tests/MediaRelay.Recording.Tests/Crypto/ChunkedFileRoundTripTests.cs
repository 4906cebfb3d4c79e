using MediaRelay.Recording.Crypto;

namespace MediaRelay.Recording.Tests.Crypto;

public class ChunkedFileRoundTripTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RoundTripsCompleteFile(bool encrypted)
    {
        RecordingKey? key = ChunkedFileTestData.KeyFor(encrypted);
        byte[][] chunks = ChunkedFileTestData.Chunks();
        byte[] file = ChunkedFileTestData.Write(chunks, key, complete: true);

        Assert.Equal(ChunkedFileTestData.ChunkOffsets(chunks, key)[^1], file.Length);
        var (read, status) = ChunkedFileTestData.Read(file, key);
        Assert.Equal(ChunkedFileStatus.Complete, status);
        Assert.Equal(chunks, read);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void HeaderDescribesFile(bool encrypted)
    {
        RecordingKey? key = ChunkedFileTestData.KeyFor(encrypted);
        byte[] file = ChunkedFileTestData.Write(ChunkedFileTestData.Chunks(1), key, complete: true);
        Assert.Equal("MRCF"u8.ToArray(), file[..4]);
        Assert.Equal(1, file[4]);
        using var reader = new ChunkedFileReader(new MemoryStream(file), key);
        Assert.Equal(encrypted ? ChunkedFileAlgorithm.Aes256Gcm : ChunkedFileAlgorithm.None, reader.Header.Algorithm);
        Assert.Equal(ChunkedFileContent.Media, reader.Header.Content);
        Assert.Equal(key?.Id ?? 0, reader.Header.KeyId);
        Assert.Equal(1024, reader.Header.MaxChunkLength);
    }

    [Fact]
    public void EncryptedChunksDoNotContainPlaintext()
    {
        byte[] secret = "a confidential consultation, said twice: a confidential consultation"u8.ToArray();
        byte[] file = ChunkedFileTestData.Write([secret], ChunkedFileTestData.Key, complete: true);
        Assert.Equal(-1, file.AsSpan().IndexOf(secret.AsSpan(0, 12)));
        byte[] plain = ChunkedFileTestData.Write([secret], null, complete: true);
        Assert.NotEqual(-1, plain.AsSpan().IndexOf(secret.AsSpan(0, 12)));
    }

    [Fact]
    public void TwoFilesWithSameKeyAndContentDiffer()
    {
        byte[][] chunks = ChunkedFileTestData.Chunks(2);
        byte[] a = ChunkedFileTestData.Write(chunks, ChunkedFileTestData.Key, complete: true);
        byte[] b = ChunkedFileTestData.Write(chunks, ChunkedFileTestData.Key, complete: true);
        Assert.NotEqual(a[16..24], b[16..24]); // random nonce prefix
        Assert.NotEqual(a[40..], b[40..]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WriteSplitsLargeDataIntoFullChunks(bool encrypted)
    {
        RecordingKey? key = ChunkedFileTestData.KeyFor(encrypted);
        byte[] data = new byte[2500];
        new Random(3).NextBytes(data);
        var stream = new MemoryStream();
        using (var writer = new ChunkedFileWriter(stream, key, maxChunkLength: 1000, leaveOpen: true))
        {
            writer.Write(data);
            Assert.Equal(2, writer.ChunksWritten);
            writer.Complete();
        }
        var (read, status) = ChunkedFileTestData.Read(stream.ToArray(), key);
        Assert.Equal(ChunkedFileStatus.Complete, status);
        Assert.Equal([1000, 1000, 500], read.Select(c => c.Length));
        Assert.Equal(data, read.SelectMany(c => c).ToArray());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EmptyCompleteFileHasOnlyAnEmptyFinalChunk(bool encrypted)
    {
        RecordingKey? key = ChunkedFileTestData.KeyFor(encrypted);
        byte[] file = ChunkedFileTestData.Write([], key, complete: true);
        var (read, status) = ChunkedFileTestData.Read(file, key);
        Assert.Equal(ChunkedFileStatus.Complete, status);
        Assert.Empty(read);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void HeaderOnlyFileIsTruncated(bool encrypted)
    {
        RecordingKey? key = ChunkedFileTestData.KeyFor(encrypted);
        byte[] file = ChunkedFileTestData.Write([], key, complete: false);
        Assert.Equal(ChunkedFileFormat.HeaderLength, file.Length);
        var (read, status) = ChunkedFileTestData.Read(file, key);
        Assert.Equal(ChunkedFileStatus.Truncated, status);
        Assert.Empty(read);
    }

    [Fact]
    public void GetSpanAndAdvanceSealWhenTheChunkIsFull()
    {
        var stream = new MemoryStream();
        using (var writer = new ChunkedFileWriter(stream, null, maxChunkLength: 100, leaveOpen: true))
        {
            writer.GetSpan(60).Fill(1);
            writer.Advance(60);
            writer.GetSpan(60).Fill(2); // does not fit: seals the first 60 bytes
            writer.Advance(60);
            Assert.Equal(1, writer.ChunksWritten);
            writer.Complete();
        }
        var (read, _) = ChunkedFileTestData.Read(stream.ToArray(), null);
        Assert.Equal([60, 60], read.Select(c => c.Length));
        Assert.All(read[1], b => Assert.Equal(2, b));
    }

    [Fact]
    public void WritingAfterCompleteThrows()
    {
        using var writer = new ChunkedFileWriter(new MemoryStream(), null);
        writer.Complete();
        Assert.Throws<InvalidOperationException>(() => writer.Write([1]));
    }

    [Fact]
    public void ReadStreamDecryptsWholeFile()
    {
        byte[][] chunks = ChunkedFileTestData.Chunks(5);
        byte[] file = ChunkedFileTestData.Write(chunks, ChunkedFileTestData.Key, complete: true);
        using var stream = new ChunkedFileReadStream(new ChunkedFileReader(new MemoryStream(file), ChunkedFileTestData.Key));
        var copy = new MemoryStream();
        stream.CopyTo(copy, 7);
        Assert.Equal(chunks.SelectMany(c => c).ToArray(), copy.ToArray());
        Assert.Equal(0, stream.Read(new byte[10]));
    }

    [Fact]
    public async Task ReadStreamWorksAsync()
    {
        byte[][] chunks = ChunkedFileTestData.Chunks(3);
        byte[] file = ChunkedFileTestData.Write(chunks, ChunkedFileTestData.Key, complete: true);
        await using var stream = new ChunkedFileReadStream(new ChunkedFileReader(new MemoryStream(file), ChunkedFileTestData.Key));
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.Equal(chunks.SelectMany(c => c).ToArray(), copy.ToArray());
    }

    [Fact]
    public void ReadStreamRejectsTruncatedFileUnlessAllowed()
    {
        byte[][] chunks = ChunkedFileTestData.Chunks(3);
        byte[] file = ChunkedFileTestData.Write(chunks, ChunkedFileTestData.Key, complete: false);
        using (var strict = new ChunkedFileReadStream(new ChunkedFileReader(new MemoryStream(file), ChunkedFileTestData.Key)))
        {
            var e = Assert.Throws<RecordingFormatException>(() => strict.CopyTo(Stream.Null));
            Assert.Equal(RecordingFormatError.IncompleteFile, e.Error);
        }
        using var lenient = new ChunkedFileReadStream(new ChunkedFileReader(new MemoryStream(file), ChunkedFileTestData.Key), requireComplete: false);
        var copy = new MemoryStream();
        lenient.CopyTo(copy);
        Assert.Equal(chunks.SelectMany(c => c).ToArray(), copy.ToArray());
    }

    [Fact]
    public void FileOnDiskRoundTripsAndIsOwnerOnly()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mrcf-{Guid.NewGuid():N}.bin");
        try
        {
            using (var writer = ChunkedFileWriter.Create(path, ChunkedFileTestData.Key, ChunkedFileContent.Media))
            {
                writer.Write("hello"u8);
                writer.Complete();
            }
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
            using var stream = ChunkedFileReadStream.Open(path, [ChunkedFileTestData.Key]);
            using var text = new StreamReader(stream);
            Assert.Equal("hello", text.ReadToEnd());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
