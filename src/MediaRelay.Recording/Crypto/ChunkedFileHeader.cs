using System.Buffers.Binary;

namespace MediaRelay.Recording.Crypto;

/// <summary>The 32-byte header of a chunked recording file; layout in <see cref="ChunkedFileFormat"/>.</summary>
public readonly record struct ChunkedFileHeader(
    ChunkedFileAlgorithm Algorithm,
    ChunkedFileContent Content,
    ulong KeyId,
    ulong NoncePrefix,
    int MaxChunkLength)
{
    public void WriteTo(Span<byte> destination)
    {
        destination = destination[..ChunkedFileFormat.HeaderLength];
        BinaryPrimitives.WriteUInt32BigEndian(destination, ChunkedFileFormat.MagicValue);
        destination[4] = ChunkedFileFormat.Version;
        destination[5] = (byte)Algorithm;
        destination[6] = (byte)Content;
        destination[7] = 0;
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], KeyId);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], NoncePrefix);
        BinaryPrimitives.WriteInt32BigEndian(destination[24..], MaxChunkLength);
        BinaryPrimitives.WriteUInt32BigEndian(destination[28..], Crc32C.Compute(destination[..28]));
    }

    /// <summary>Parses and checks a header; never throws.</summary>
    public static bool TryParse(ReadOnlySpan<byte> source, out ChunkedFileHeader header, out RecordingFormatError error, out string reason)
    {
        header = default;
        error = RecordingFormatError.InvalidHeader;
        reason = "";
        if (source.Length < ChunkedFileFormat.HeaderLength)
        {
            error = RecordingFormatError.TruncatedHeader;
            reason = $"file is {source.Length} bytes, shorter than the {ChunkedFileFormat.HeaderLength}-byte header";
            return false;
        }
        if (BinaryPrimitives.ReadUInt32BigEndian(source) != ChunkedFileFormat.MagicValue)
        {
            reason = "not a MediaRelay recording file (bad magic)";
            return false;
        }
        if (BinaryPrimitives.ReadUInt32BigEndian(source[28..]) != Crc32C.Compute(source[..28]))
        {
            reason = "header checksum mismatch (header corrupted)";
            return false;
        }
        if (source[4] != ChunkedFileFormat.Version)
        {
            error = RecordingFormatError.UnsupportedVersion;
            reason = $"format version {source[4]} is not supported (expected {ChunkedFileFormat.Version})";
            return false;
        }
        var algorithm = (ChunkedFileAlgorithm)source[5];
        ulong keyId = BinaryPrimitives.ReadUInt64BigEndian(source[8..]);
        int maxChunk = BinaryPrimitives.ReadInt32BigEndian(source[24..]);
        bool algorithmOk = algorithm == ChunkedFileAlgorithm.Aes256Gcm || (algorithm == ChunkedFileAlgorithm.None && keyId == 0);
        if (!algorithmOk || source[6] > (byte)ChunkedFileContent.Media || source[7] != 0
            || maxChunk < 1 || maxChunk > ChunkedFileFormat.MaxChunkLengthLimit)
        {
            reason = "header fields out of range";
            return false;
        }
        header = new ChunkedFileHeader(algorithm, (ChunkedFileContent)source[6], keyId,
            BinaryPrimitives.ReadUInt64BigEndian(source[16..]), maxChunk);
        error = default;
        return true;
    }
}
