using System.Buffers.Binary;
using System.Security.Cryptography;
using MediaRelay.Core;

namespace MediaRelay.Recording.Crypto;

/// <summary>
/// Writes a chunked recording file (<see cref="ChunkedFileFormat"/>): bytes are buffered into the current chunk;
/// <see cref="SealChunk"/> encrypts (or checksums) it in place, writes it with one call and flushes it to disk;
/// <see cref="Complete"/> writes the final chunk. Not thread-safe: one writer thread owns it.
/// After construction, writing and sealing allocate nothing.
/// Disk errors surface as <see cref="RecordingStorageException"/>; the writer is then faulted.
/// Dispose without <see cref="Complete"/> leaves a file that reads as <see cref="ChunkedFileStatus.Truncated"/>
/// (the unsealed tail is dropped, as in a crash).
/// </summary>
public sealed class ChunkedFileWriter : IDisposable
{
    public const int DefaultMaxChunkLength = 1024 * 1024;

    private readonly Stream _stream;
    private readonly FileStream? _fileStream;
    private readonly bool _leaveOpen;
    private readonly bool _flushToDisk;
    private readonly ChunkedFileHeader _header;
    private readonly AesGcm? _aesGcm;
    private readonly byte[] _aad = new byte[ChunkedFileFormat.AadLength];
    private readonly byte[] _nonce = new byte[ChunkedFileFormat.NonceLength];
    private readonly uint _headerCrcState;
    private readonly int _tagLength;

    // [8-byte chunk prefix][plaintext, up to MaxChunkLength][tag]
    private readonly byte[] _buffer;
    private int _length;
    private uint _index;
    private bool _completed;
    private bool _faulted;
    private bool _disposed;

    /// <param name="stream">Writable destination, positioned at the start of the file.</param>
    /// <param name="key">Encrypt with AES-256-GCM under this key, or null for plaintext + CRC-32C.</param>
    /// <param name="content">Recorded in the header.</param>
    /// <param name="maxChunkLength">Largest chunk plaintext; a chunk is sealed automatically when full.</param>
    /// <param name="leaveOpen">Leave <paramref name="stream"/> open on dispose.</param>
    /// <param name="flushToDisk">After each chunk, <c>FileStream.Flush(true)</c> (fsync) when the stream is a file.</param>
    public ChunkedFileWriter(Stream stream, RecordingKey? key, ChunkedFileContent content = ChunkedFileContent.Unspecified,
        int maxChunkLength = DefaultMaxChunkLength, bool leaveOpen = false, bool flushToDisk = true)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (maxChunkLength < 1 || maxChunkLength > ChunkedFileFormat.MaxChunkLengthLimit)
        {
            ThrowHelper.ThrowArgument($"maxChunkLength must be 1 .. {ChunkedFileFormat.MaxChunkLengthLimit}.", nameof(maxChunkLength));
        }
        _stream = stream;
        _fileStream = stream as FileStream;
        _leaveOpen = leaveOpen;
        _flushToDisk = flushToDisk;

        Span<byte> random = stackalloc byte[8];
        RandomNumberGenerator.Fill(random);
        var algorithm = key is null ? ChunkedFileAlgorithm.None : ChunkedFileAlgorithm.Aes256Gcm;
        _header = new ChunkedFileHeader(algorithm, content, key?.Id ?? 0, BinaryPrimitives.ReadUInt64BigEndian(random), maxChunkLength);
        _header.WriteTo(_aad);
        _headerCrcState = Crc32C.Append(Crc32C.Initial, _aad.AsSpan(0, ChunkedFileFormat.HeaderLength));
        _tagLength = ChunkedFileFormat.TagLength(algorithm);
        if (key is not null)
        {
            _aesGcm = new AesGcm(key.Bytes, ChunkedFileFormat.GcmTagLength);
        }
        _buffer = new byte[ChunkedFileFormat.ChunkPrefixLength + maxChunkLength + _tagLength];

        WriteAndFlush(_aad.AsSpan(0, ChunkedFileFormat.HeaderLength));
    }

    /// <summary>Creates a new file (fails if it exists), owner read/write only, shared for reading.</summary>
    public static ChunkedFileWriter Create(string path, RecordingKey? key, ChunkedFileContent content = ChunkedFileContent.Unspecified,
        int maxChunkLength = DefaultMaxChunkLength)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, CreateOptions());
        }
        catch (IOException e)
        {
            throw new RecordingStorageException($"Cannot create recording file {path}: {e.Message}", e);
        }
        try
        {
            return new ChunkedFileWriter(stream, key, content, maxChunkLength);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    internal static FileStreamOptions CreateOptions()
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.Read | FileShare.Delete,
            BufferSize = 0, // chunks are written whole; no second buffer
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        return options;
    }

    public ChunkedFileHeader Header => _header;

    public int MaxChunkLength => _header.MaxChunkLength;

    /// <summary>Bytes buffered in the current (unsealed) chunk.</summary>
    public int BufferedLength => _length;

    /// <summary>Room left in the current chunk.</summary>
    public int Available => _header.MaxChunkLength - _length;

    /// <summary>Chunks written so far (including the final one).</summary>
    public long ChunksWritten => _index;

    private long _bytesWritten;

    /// <summary>Bytes handed to the file so far (header, sealed chunks and tags); safe to read from any thread.</summary>
    public long BytesWritten => Volatile.Read(ref _bytesWritten);

    public bool IsCompleted => _completed;

    public bool IsFaulted => _faulted;

    /// <summary>
    /// A span of exactly <paramref name="length"/> bytes in the current chunk to write into, then call
    /// <see cref="Advance"/>. Seals the current chunk first if it has less room.
    /// </summary>
    public Span<byte> GetSpan(int length)
    {
        EnsureWritable();
        if ((uint)length > (uint)_header.MaxChunkLength)
        {
            ThrowHelper.ThrowArgument("Larger than a chunk.", nameof(length));
        }
        if (length > Available)
        {
            SealChunk();
        }
        return _buffer.AsSpan(ChunkedFileFormat.ChunkPrefixLength + _length, length);
    }

    public void Advance(int count)
    {
        if ((uint)count > (uint)Available)
        {
            ThrowHelper.ThrowArgument("Advanced past the chunk.", nameof(count));
        }
        _length += count;
    }

    /// <summary>Buffers bytes; fills and seals as many chunks as needed.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        EnsureWritable();
        while (!data.IsEmpty)
        {
            if (Available == 0)
            {
                SealChunk();
            }
            int n = Math.Min(Available, data.Length);
            data[..n].CopyTo(_buffer.AsSpan(ChunkedFileFormat.ChunkPrefixLength + _length));
            _length += n;
            data = data[n..];
        }
    }

    /// <summary>Writes the buffered bytes as one chunk and flushes it to disk; nothing happens if none are buffered.</summary>
    public void SealChunk()
    {
        EnsureWritable();
        if (_length > 0)
        {
            WriteChunk(final: false);
        }
    }

    /// <summary>Writes the buffered bytes (possibly none) as the final chunk and flushes it to disk.</summary>
    public void Complete()
    {
        EnsureWritable();
        WriteChunk(final: true);
        _completed = true;
    }

    private void WriteChunk(bool final)
    {
        if (_index == uint.MaxValue)
        {
            ThrowHelper.ThrowInvalidOperation("A chunked file holds at most 2^32 - 1 chunks.");
        }
        uint lengthWord = (uint)_length | (final ? ChunkedFileFormat.FinalFlag : 0);
        Span<byte> chunk = _buffer.AsSpan(0, ChunkedFileFormat.ChunkPrefixLength + _length + _tagLength);
        BinaryPrimitives.WriteUInt32BigEndian(chunk, lengthWord);
        BinaryPrimitives.WriteUInt32BigEndian(chunk[4..], ChunkedFileFormat.PrefixCheck(_header.NoncePrefix, _index, lengthWord));
        Span<byte> body = chunk.Slice(ChunkedFileFormat.ChunkPrefixLength, _length);
        Span<byte> tag = chunk[(ChunkedFileFormat.ChunkPrefixLength + _length)..];
        if (_aesGcm is not null)
        {
            ChunkedFileFormat.WriteNonce(_nonce, _header.NoncePrefix, _index);
            ChunkedFileFormat.WriteAadTail(_aad, _index, lengthWord);
            _aesGcm.Encrypt(_nonce, body, body, tag, _aad);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(tag, ChunkedFileFormat.ChunkCrc(_headerCrcState, _index, lengthWord, body));
        }
        WriteAndFlush(chunk);
        _index++;
        _length = 0;
    }

    private void WriteAndFlush(ReadOnlySpan<byte> bytes)
    {
        try
        {
            _stream.Write(bytes);
            Volatile.Write(ref _bytesWritten, _bytesWritten + bytes.Length); // one writer thread; read by metrics
            if (_fileStream is not null)
            {
                _fileStream.Flush(_flushToDisk);
            }
            else
            {
                _stream.Flush();
            }
        }
        catch (IOException e)
        {
            _faulted = true;
            RecordingStorageException.Throw(
                RecordingStorageException.IsDiskFullError(e)
                    ? $"Recording storage is full: {e.Message}"
                    : $"Writing the recording file failed: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            _faulted = true;
            RecordingStorageException.Throw($"Writing the recording file was refused: {e.Message}", e);
        }
    }

    private void EnsureWritable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_faulted)
        {
            RecordingStorageException.Throw("The recording file writer failed earlier and accepts no more data.");
        }
        if (_completed)
        {
            ThrowHelper.ThrowInvalidOperation("The recording file is complete.");
        }
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
            try
            {
                _stream.Dispose();
            }
            catch (IOException)
            {
                // Closing after a disk error may fail again; the failure was already reported.
            }
        }
    }
}
