using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MediaRelay.Recording.Crypto;

/// <summary>
/// Reads a chunked recording file (<see cref="ChunkedFileFormat"/>), complete or left behind by a crash, and
/// returns verified chunk plaintexts one at a time. <see cref="Status"/> tells, once the end is reached, whether the
/// writer completed the file. Anything malformed throws <see cref="RecordingFormatException"/>, and nothing else
/// (stream I/O errors excepted). Reading a file while its writer appends to it is safe: a half-written chunk is
/// an ordinary torn tail.
/// </summary>
public sealed class ChunkedFileReader : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly ChunkedFileHeader _header;
    private readonly AesGcm? _aesGcm;
    private readonly byte[] _aad = new byte[ChunkedFileFormat.AadLength];
    private readonly byte[] _nonce = new byte[ChunkedFileFormat.NonceLength];
    private readonly uint _headerCrcState;
    private readonly int _tagLength;
    private byte[] _buffer = new byte[4096];
    private uint _index;
    private ChunkedFileStatus _status;
    private bool _disposed;

    /// <summary>Opens a file written with <paramref name="key"/> (or in plaintext when it is null).</summary>
    public ChunkedFileReader(Stream stream, RecordingKey? key, bool leaveOpen = false)
        : this(stream, key is null ? [] : [key], leaveOpen)
    {
    }

    /// <summary>Opens a file written with any of <paramref name="keys"/> (matched by key id), or in plaintext.</summary>
    public ChunkedFileReader(Stream stream, IReadOnlyList<RecordingKey> keys, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(keys);
        _stream = stream;
        _leaveOpen = leaveOpen;
        try
        {
            Span<byte> header = _aad.AsSpan(0, ChunkedFileFormat.HeaderLength);
            int read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            if (!ChunkedFileHeader.TryParse(header[..read], out _header, out RecordingFormatError error, out string reason))
            {
                RecordingFormatException.Throw(error, $"Invalid recording file: {reason}.");
            }
            _headerCrcState = Crc32C.Append(Crc32C.Initial, header);
            _tagLength = ChunkedFileFormat.TagLength(_header.Algorithm);
            if (_header.Algorithm == ChunkedFileAlgorithm.Aes256Gcm)
            {
                _aesGcm = new AesGcm(FindKey(keys, _header.KeyId).Bytes, ChunkedFileFormat.GcmTagLength);
            }
        }
        catch when (!leaveOpen)
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Opens a file for reading, allowing its writer to keep appending (crash recovery, live checks).</summary>
    public static ChunkedFileReader Open(string path, IReadOnlyList<RecordingKey> keys)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 0);
        return new ChunkedFileReader(stream, keys);
    }

    public ChunkedFileHeader Header => _header;

    public ChunkedFileStatus Status => _status;

    /// <summary>Verified chunks returned so far.</summary>
    public long ChunksRead => _index;

    /// <summary>
    /// Reads, verifies and (if encrypted) decrypts the next chunk. The span is valid until the next call.
    /// Returns false at the end of the file (see <see cref="Status"/>). Chunks may be empty (an empty final chunk
    /// is not returned).
    /// </summary>
    public bool TryReadChunk(out ReadOnlySpan<byte> plaintext)
    {
        bool result = TryReadChunkMemory(out ReadOnlyMemory<byte> memory);
        plaintext = memory.Span;
        return result;
    }

    /// <summary>As <see cref="TryReadChunk"/>, as memory (valid until the next call) for callers that keep it across calls.</summary>
    public bool TryReadChunkMemory(out ReadOnlyMemory<byte> plaintext)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        plaintext = default;
        if (_status != ChunkedFileStatus.Reading || !TryReadNext(out int length, out bool final))
        {
            return false;
        }
        if (final)
        {
            EnsureEndOfFile();
            _status = ChunkedFileStatus.Complete;
            if (length == 0)
            {
                return false;
            }
        }
        plaintext = _buffer.AsMemory(ChunkedFileFormat.ChunkPrefixLength, length);
        return true;
    }

    private bool TryReadNext(out int length, out bool final)
    {
        length = 0;
        final = false;
        Span<byte> prefix = _buffer.AsSpan(0, ChunkedFileFormat.ChunkPrefixLength);
        int got = _stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        if (got < prefix.Length)
        {
            // Clean end without a final chunk, or a torn prefix.
            _status = ChunkedFileStatus.Truncated;
            return false;
        }
        uint lengthWord = BinaryPrimitives.ReadUInt32BigEndian(prefix);
        uint check = BinaryPrimitives.ReadUInt32BigEndian(prefix[4..]);
        if (check != ChunkedFileFormat.PrefixCheck(_header.NoncePrefix, _index, lengthWord))
        {
            if (lengthWord == 0 && check == 0 && RestIsZero())
            {
                _status = ChunkedFileStatus.Truncated; // zero-filled tail after a crash
                return false;
            }
            RecordingFormatException.Throw(RecordingFormatError.CorruptChunk,
                $"Chunk {_index} is corrupt or out of order (prefix check failed).");
        }
        final = (lengthWord & ChunkedFileFormat.FinalFlag) != 0;
        length = (int)(lengthWord & ~ChunkedFileFormat.FinalFlag);
        if (length > _header.MaxChunkLength || (length == 0 && !final))
        {
            RecordingFormatException.Throw(RecordingFormatError.CorruptChunk, $"Chunk {_index} has an invalid length {length}.");
        }
        int total = ChunkedFileFormat.ChunkPrefixLength + length + _tagLength;
        if (_buffer.Length < total)
        {
            var bigger = new byte[Math.Max(total, Math.Min(_buffer.Length * 2, ChunkedFileFormat.ChunkPrefixLength + _header.MaxChunkLength + _tagLength))];
            prefix.CopyTo(bigger);
            _buffer = bigger;
        }
        Span<byte> rest = _buffer.AsSpan(ChunkedFileFormat.ChunkPrefixLength, length + _tagLength);
        if (_stream.ReadAtLeast(rest, rest.Length, throwOnEndOfStream: false) < rest.Length)
        {
            _status = ChunkedFileStatus.Truncated; // torn last chunk
            return false;
        }
        Span<byte> body = rest[..length];
        ReadOnlySpan<byte> tag = rest[length..];
        if (_aesGcm is not null)
        {
            ChunkedFileFormat.WriteNonce(_nonce, _header.NoncePrefix, _index);
            ChunkedFileFormat.WriteAadTail(_aad, _index, lengthWord);
            try
            {
                _aesGcm.Decrypt(_nonce, body, tag, body, _aad);
            }
            catch (AuthenticationTagMismatchException e)
            {
                RecordingFormatException.Throw(RecordingFormatError.CorruptChunk,
                    $"Chunk {_index} failed authentication: the file was corrupted or tampered with.", e);
            }
        }
        else if (BinaryPrimitives.ReadUInt32BigEndian(tag) != ChunkedFileFormat.ChunkCrc(_headerCrcState, _index, lengthWord, body))
        {
            RecordingFormatException.Throw(RecordingFormatError.CorruptChunk, $"Chunk {_index} failed its CRC-32C check: the file is corrupted.");
        }
        _index++;
        return true;
    }

    private void EnsureEndOfFile()
    {
        Span<byte> probe = stackalloc byte[1];
        if (_stream.Read(probe) != 0)
        {
            RecordingFormatException.Throw(RecordingFormatError.DataAfterFinalChunk, "Data follows the final chunk.");
        }
    }

    private bool RestIsZero()
    {
        Span<byte> scratch = stackalloc byte[512];
        int n;
        while ((n = _stream.Read(scratch)) > 0)
        {
            if (scratch[..n].ContainsAnyExcept((byte)0))
            {
                return false;
            }
        }
        return true;
    }

    private static RecordingKey FindKey(IReadOnlyList<RecordingKey> keys, ulong keyId)
    {
        if (keys.Count == 0)
        {
            RecordingFormatException.Throw(RecordingFormatError.KeyMissing,
                $"The recording file is encrypted (key id {keyId:x16}) and no recording key is configured.");
        }
        for (int i = 0; i < keys.Count; i++)
        {
            if (keys[i].Id == keyId)
            {
                return keys[i];
            }
        }
        throw new RecordingFormatException(RecordingFormatError.KeyMismatch,
            $"The recording file is encrypted with key id {keyId:x16}, which is not among the configured keys ({Describe(keys)}).");
    }

    private static string Describe(IReadOnlyList<RecordingKey> keys)
    {
        var ids = new string[keys.Count];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = keys[i].IdHex;
        }
        return string.Join(", ", ids);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _aesGcm?.Dispose();
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }
}
