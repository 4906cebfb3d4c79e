namespace MediaRelay.Recording.Crypto;

/// <summary>
/// A read-only, forward-only <see cref="Stream"/> over the plaintext of a chunked recording file: decrypts and
/// verifies chunk by chunk (memory stays at one chunk), for serving downloads of finished files.
/// With <c>requireComplete</c> (the default) a truncated file throws <see cref="RecordingFormatException"/>
/// (<see cref="RecordingFormatError.IncompleteFile"/>) when the reader reaches its end, so a download of a damaged
/// file fails instead of ending silently short.
/// </summary>
public sealed class ChunkedFileReadStream : Stream
{
    private readonly ChunkedFileReader _reader;
    private readonly bool _requireComplete;
    private ReadOnlyMemory<byte> _chunk;
    private int _chunkOffset;
    private long _position;
    private bool _ended;

    public ChunkedFileReadStream(ChunkedFileReader reader, bool requireComplete = true)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _reader = reader;
        _requireComplete = requireComplete;
    }

    /// <summary>Opens a finished file for download.</summary>
    public static ChunkedFileReadStream Open(string path, IReadOnlyList<RecordingKey> keys, bool requireComplete = true) =>
        new(ChunkedFileReader.Open(path, keys), requireComplete);

    public ChunkedFileHeader Header => _reader.Header;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }
        while (_chunkOffset == _chunk.Length)
        {
            if (_ended || !NextChunk())
            {
                _chunk = default;
                _chunkOffset = 0;
                return 0;
            }
        }
        int n = Math.Min(buffer.Length, _chunk.Length - _chunkOffset);
        _chunk.Span.Slice(_chunkOffset, n).CopyTo(buffer);
        _chunkOffset += n;
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private bool NextChunk()
    {
        if (!_reader.TryReadChunkMemory(out _chunk))
        {
            _ended = true;
            if (_requireComplete && _reader.Status != ChunkedFileStatus.Complete)
            {
                RecordingFormatException.Throw(RecordingFormatError.IncompleteFile,
                    "The recording file is truncated (no final chunk): it was not finished cleanly.");
            }
            return false;
        }
        _chunkOffset = 0;
        return true;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _reader.Dispose();
        }
        base.Dispose(disposing);
    }
}
