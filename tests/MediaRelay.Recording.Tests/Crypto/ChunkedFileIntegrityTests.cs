using MediaRelay.Recording.Crypto;

namespace MediaRelay.Recording.Tests.Crypto;

public class ChunkedFileIntegrityTests
{
    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void CutAnywhereInLastChunkKeepsEarlierChunksAndReportsTruncated(bool encrypted, bool complete)
    {
        RecordingKey? key = ChunkedFileTestData.KeyFor(encrypted);
        byte[][] chunks = ChunkedFileTestData.Chunks(4);
        byte[] file = ChunkedFileTestData.Write(chunks, key, complete);
        int[] offsets = ChunkedFileTestData.ChunkOffsets(chunks, key);
        for (int cut = offsets[^2]; cut < file.Length; cut++)
        {
            var (read, status) = ChunkedFileTestData.Read(file[..cut], key);
            Assert.Equal(ChunkedFileStatus.Truncated, status);
            Assert.Equal(chunks[..^1], read);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void CutAtEveryOffsetReturnsOnlyWholeChunks(bool encrypted)
    {
        RecordingKey? key = ChunkedFileTestData.KeyFor(encrypted);
        byte[][] chunks = ChunkedFileTestData.Chunks(3);
        byte[] file = ChunkedFileTestData.Write(chunks, key, complete: true);
        int[] offsets = ChunkedFileTestData.ChunkOffsets(chunks, key);
        for (int cut = offsets[0]; cut < file.Length; cut++)
        {
            var (read, status) = ChunkedFileTestData.Read(file[..cut], key);
            Assert.Equal(ChunkedFileStatus.Truncated, status);
            int whole = offsets.Count(o => o <= cut) - 1;
            Assert.Equal(chunks[..whole], read);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ZeroFilledTailIsTruncatedNotCorrupt(bool encrypted)
    {
        RecordingKey? key = ChunkedFileTestData.KeyFor(encrypted);
        byte[][] chunks = ChunkedFileTestData.Chunks(2);
        byte[] file = ChunkedFileTestData.Write(chunks, key, complete: false);
        byte[] withZeros = [.. file, .. new byte[4096]];
        var (read, status) = ChunkedFileTestData.Read(withZeros, key);
        Assert.Equal(ChunkedFileStatus.Truncated, status);
        Assert.Equal(chunks, read);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EveryFlippedBitIsDetected(bool encrypted)
    {
        RecordingKey? key = ChunkedFileTestData.KeyFor(encrypted);
        byte[][] chunks = ChunkedFileTestData.Chunks(3, seed: 11).Select(c => c[..Math.Min(c.Length, 40)]).ToArray();
        byte[] file = ChunkedFileTestData.Write(chunks, key, complete: true);
        for (int bit = 0; bit < file.Length * 8; bit++)
        {
            byte[] damaged = (byte[])file.Clone();
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));
            var e = Assert.Throws<RecordingFormatException>(() => ChunkedFileTestData.Read(damaged, key));
            Assert.NotEqual(RecordingFormatError.IncompleteFile, e.Error);
        }
    }

    [Fact]
    public void WrongKeyIsReportedAsSuch()
    {
        byte[] file = ChunkedFileTestData.Write(ChunkedFileTestData.Chunks(1), ChunkedFileTestData.Key, complete: true);
        var other = RecordingKey.Generate();
        var e = Assert.Throws<RecordingFormatException>(() => new ChunkedFileReader(new MemoryStream(file), other));
        Assert.Equal(RecordingFormatError.KeyMismatch, e.Error);
        Assert.Contains(ChunkedFileTestData.Key.IdHex, e.Message);

        var missing = Assert.Throws<RecordingFormatException>(() => new ChunkedFileReader(new MemoryStream(file), (RecordingKey?)null));
        Assert.Equal(RecordingFormatError.KeyMissing, missing.Error);
    }

    [Fact]
    public void KeyRingPicksTheKeyNamedInTheFile()
    {
        byte[][] chunks = ChunkedFileTestData.Chunks(2);
        byte[] file = ChunkedFileTestData.Write(chunks, ChunkedFileTestData.Key, complete: true);
        using var reader = new ChunkedFileReader(new MemoryStream(file), [RecordingKey.Generate(), ChunkedFileTestData.Key]);
        Assert.True(reader.TryReadChunk(out ReadOnlySpan<byte> first));
        Assert.Equal(chunks[0], first.ToArray());
    }

    [Fact]
    public void PlaintextFileReadsWithAKeyConfigured()
    {
        byte[][] chunks = ChunkedFileTestData.Chunks(2);
        byte[] file = ChunkedFileTestData.Write(chunks, null, complete: true);
        var (read, status) = ChunkedFileTestData.Read(file, ChunkedFileTestData.Key);
        Assert.Equal(ChunkedFileStatus.Complete, status);
        Assert.Equal(chunks, read);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ReorderedChunksAreDetected(bool encrypted)
    {
        RecordingKey? key = ChunkedFileTestData.KeyFor(encrypted);
        byte[][] chunks = ChunkedFileTestData.Chunks(4);
        byte[] file = ChunkedFileTestData.Write(chunks, key, complete: true);
        int[] o = ChunkedFileTestData.ChunkOffsets(chunks, key);
        byte[] swapped = [.. file[..o[1]], .. file[o[2]..o[3]], .. file[o[1]..o[2]], .. file[o[3]..]];
        var e = Assert.Throws<RecordingFormatException>(() => ChunkedFileTestData.Read(swapped, key));
        Assert.Equal(RecordingFormatError.CorruptChunk, e.Error);

        byte[] duplicated = [.. file[..o[2]], .. file[o[1]..]];
        Assert.Throws<RecordingFormatException>(() => ChunkedFileTestData.Read(duplicated, key));

        byte[] dropped = [.. file[..o[1]], .. file[o[2]..]];
        Assert.Throws<RecordingFormatException>(() => ChunkedFileTestData.Read(dropped, key));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ChunkFromAnotherFileIsDetected(bool encrypted)
    {
        RecordingKey? key = ChunkedFileTestData.KeyFor(encrypted);
        byte[][] chunks = ChunkedFileTestData.Chunks(2);
        byte[] a = ChunkedFileTestData.Write(chunks, key, complete: true);
        byte[] b = ChunkedFileTestData.Write(chunks, key, complete: true);
        int[] o = ChunkedFileTestData.ChunkOffsets(chunks, key);
        byte[] spliced = [.. a[..o[1]], .. b[o[1]..]];
        Assert.Throws<RecordingFormatException>(() => ChunkedFileTestData.Read(spliced, key));
    }

    [Fact]
    public void DataAfterFinalChunkIsRejected()
    {
        byte[] file = ChunkedFileTestData.Write(ChunkedFileTestData.Chunks(2), ChunkedFileTestData.Key, complete: true);
        var e = Assert.Throws<RecordingFormatException>(() => ChunkedFileTestData.Read([.. file, 0], ChunkedFileTestData.Key));
        Assert.Equal(RecordingFormatError.DataAfterFinalChunk, e.Error);
    }

    [Fact]
    public void ShortHeaderIsTruncatedHeader()
    {
        byte[] file = ChunkedFileTestData.Write([], null, complete: false);
        for (int cut = 0; cut < ChunkedFileFormat.HeaderLength; cut++)
        {
            var e = Assert.Throws<RecordingFormatException>(() => new ChunkedFileReader(new MemoryStream(file[..cut]), (RecordingKey?)null));
            Assert.Equal(RecordingFormatError.TruncatedHeader, e.Error);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GarbageNeverThrowsAnythingElse(bool encrypted)
    {
        RecordingKey? key = ChunkedFileTestData.KeyFor(encrypted);
        var random = new Random(1234);
        byte[] valid = ChunkedFileTestData.Write(ChunkedFileTestData.Chunks(3), key, complete: true);
        for (int i = 0; i < 3000; i++)
        {
            byte[] input;
            switch (i % 3)
            {
                case 0:
                    input = new byte[random.Next(200)];
                    random.NextBytes(input);
                    break;
                case 1:
                    // A valid header followed by random bytes.
                    input = [.. valid[..ChunkedFileFormat.HeaderLength], .. RandomBytes(random, random.Next(300))];
                    break;
                default:
                    // A valid file with a few random bytes overwritten, then cut somewhere.
                    input = (byte[])valid.Clone();
                    for (int k = random.Next(1, 4); k > 0; k--)
                    {
                        input[random.Next(input.Length)] = (byte)random.Next(256);
                    }
                    input = input[..random.Next(input.Length + 1)];
                    break;
            }
            try
            {
                ChunkedFileTestData.Read(input, key);
            }
            catch (RecordingFormatException)
            {
            }
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
