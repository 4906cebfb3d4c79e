using System.Buffers.Binary;

namespace MediaRelay.Recording.Crypto;

/// <summary>
/// The chunked recording file format ("MRCF", version 1), used for track journals and for finished files at rest.
/// All integers are big-endian. AES-GCM as specified in NIST SP 800-38D (RFC 5116 §5.2 AEAD_AES_256_GCM profile:
/// 32-byte key, 12-byte nonce, 16-byte tag); CRC-32C as in RFC 3720 §B.4.
/// <code>
/// File   = Header Chunk*                       (the last chunk of a completed file has the final flag)
///
/// Header (32 bytes)
///   0   4  magic        "MRCF" (4D 52 43 46)
///   4   1  version      1
///   5   1  algorithm    0 = none (plaintext + CRC-32C), 1 = AES-256-GCM
///   6   1  content      0 = unspecified, 1 = journal, 2 = media file
///   7   1  reserved     0
///   8   8  key id       fingerprint of the key (RecordingKey.Id); 0 when algorithm = none
///  16   8  nonce prefix random per file (also present with algorithm none: it binds chunks to their file)
///  24   4  max chunk    largest plaintext length of any chunk, 1 .. 16 MiB
///  28   4  header CRC   CRC-32C of bytes 0..27
///
/// Chunk i (i = 0, 1, 2, ...; at most 2^32 - 1 chunks)
///   0   4  length word  bit 31 = final flag, bits 0..30 = plaintext length L (0 .. max chunk; 0 only if final)
///   4   4  prefix check CRC-32C(nonce prefix || u32 i || length word)
///   8   L  body         AES-256-GCM ciphertext of the plaintext, or the plaintext itself (algorithm none)
///   8+L T  tag          GCM tag (T = 16), or CRC-32C(header || u32 i || length word || plaintext) (T = 4)
///
///   GCM nonce (12 bytes) = nonce prefix (8) || u32 i
///   GCM AAD   (40 bytes) = header (32) || u32 i || length word
/// </code>
/// What the reader concludes:
/// <list type="bullet">
/// <item>A chunk is accepted only if its prefix check and tag verify for its position i: a flipped bit anywhere,
/// reordered, duplicated or spliced-in chunks (from another file: other nonce prefix) and a header edit are
/// errors (<see cref="RecordingFormatException"/>), and with AES-GCM also deliberate tampering.</item>
/// <item>The file ending on a chunk boundary without a final chunk, inside a chunk (torn write), or in a run of
/// zero bytes (a file system that extended the file but lost the data) is <see cref="ChunkedFileStatus.Truncated"/>:
/// every earlier chunk is kept. The writer fsyncs after each chunk, so only the unsealed tail is ever lost.</item>
/// <item>The prefix check keeps a corrupted length from posing as a torn tail.</item>
/// <item>Removing whole chunks from the end of a file is indistinguishable from a crash (Truncated, not an
/// error); the catalog knows which recordings ended cleanly.</item>
/// </list>
/// With one key across many files, GCM nonces stay unique as long as the random 64-bit prefixes do (collision
/// odds ~ n^2 / 2^65 for n files) and a file has fewer than 2^32 chunks.
/// </summary>
public static class ChunkedFileFormat
{
    public const byte Version = 1;
    public const int HeaderLength = 32;
    public const int ChunkPrefixLength = 8;
    public const int GcmTagLength = 16;
    public const int CrcTagLength = 4;
    public const int NonceLength = 12;
    public const int AadLength = HeaderLength + 8;

    /// <summary>Upper bound of the header's max chunk field (16 MiB).</summary>
    public const int MaxChunkLengthLimit = 16 * 1024 * 1024;

    internal const uint FinalFlag = 0x8000_0000u;
    internal const uint MagicValue = 0x4D52_4346u; // "MRCF"

    public static int TagLength(ChunkedFileAlgorithm algorithm) =>
        algorithm == ChunkedFileAlgorithm.Aes256Gcm ? GcmTagLength : CrcTagLength;

    internal static uint PrefixCheck(ulong noncePrefix, uint index, uint lengthWord)
    {
        Span<byte> input = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(input, noncePrefix);
        BinaryPrimitives.WriteUInt32BigEndian(input[8..], index);
        BinaryPrimitives.WriteUInt32BigEndian(input[12..], lengthWord);
        return Crc32C.Compute(input);
    }

    internal static void WriteNonce(Span<byte> nonce, ulong noncePrefix, uint index)
    {
        BinaryPrimitives.WriteUInt64BigEndian(nonce, noncePrefix);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[8..], index);
    }

    /// <summary>Fills bytes 32..39 of an AAD buffer whose first 32 bytes already hold the header.</summary>
    internal static void WriteAadTail(Span<byte> aad, uint index, uint lengthWord)
    {
        BinaryPrimitives.WriteUInt32BigEndian(aad[HeaderLength..], index);
        BinaryPrimitives.WriteUInt32BigEndian(aad[(HeaderLength + 4)..], lengthWord);
    }

    /// <summary>The CRC tag of a chunk with algorithm none; <paramref name="headerState"/> is the CRC state after the header.</summary>
    internal static uint ChunkCrc(uint headerState, uint index, uint lengthWord, ReadOnlySpan<byte> plaintext)
    {
        Span<byte> position = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(position, index);
        BinaryPrimitives.WriteUInt32BigEndian(position[4..], lengthWord);
        uint state = Crc32C.Append(headerState, position);
        return Crc32C.Finish(Crc32C.Append(state, plaintext));
    }
}
