using MediaRelay.Recording.Crypto;

namespace MediaRelay.Recording.Tests.Crypto;

/// <summary>Builds chunked files in memory and reads them back.</summary>
internal static class ChunkedFileTestData
{
    public static readonly RecordingKey Key = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    /// <summary>Chunks of different sizes with recognisable content.</summary>
    public static byte[][] Chunks(int count = 4, int seed = 7)
    {
        var random = new Random(seed);
        var chunks = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            chunks[i] = new byte[1 + random.Next(600)];
            random.NextBytes(chunks[i]);
        }
        return chunks;
    }

    /// <summary>Writes each chunk sealed on its own; the last one as the final chunk when complete.</summary>
    public static byte[] Write(byte[][] chunks, RecordingKey? key, bool complete, int maxChunk = 1024)
    {
        var stream = new MemoryStream();
        using (var writer = new ChunkedFileWriter(stream, key, ChunkedFileContent.Media, maxChunk, leaveOpen: true))
        {
            for (int i = 0; i < chunks.Length; i++)
            {
                writer.Write(chunks[i]);
                if (complete && i == chunks.Length - 1)
                {
                    writer.Complete();
                }
                else
                {
                    writer.SealChunk();
                }
            }
            if (complete && chunks.Length == 0)
            {
                writer.Complete();
            }
        }
        return stream.ToArray();
    }

    public static (List<byte[]> Chunks, ChunkedFileStatus Status) Read(byte[] file, RecordingKey? key)
    {
        using var reader = new ChunkedFileReader(new MemoryStream(file), key);
        var result = new List<byte[]>();
        while (reader.TryReadChunk(out ReadOnlySpan<byte> chunk))
        {
            result.Add(chunk.ToArray());
        }
        Assert.NotEqual(ChunkedFileStatus.Reading, reader.Status);
        return (result, reader.Status);
    }

    /// <summary>Offset where each chunk starts (plus the file end), given the chunk plaintext lengths.</summary>
    public static int[] ChunkOffsets(byte[][] chunks, RecordingKey? key)
    {
        int tag = key is null ? ChunkedFileFormat.CrcTagLength : ChunkedFileFormat.GcmTagLength;
        var offsets = new int[chunks.Length + 1];
        offsets[0] = ChunkedFileFormat.HeaderLength;
        for (int i = 0; i < chunks.Length; i++)
        {
            offsets[i + 1] = offsets[i] + ChunkedFileFormat.ChunkPrefixLength + chunks[i].Length + tag;
        }
        return offsets;
    }

    public static RecordingKey? KeyFor(bool encrypted) => encrypted ? Key : null;
}
