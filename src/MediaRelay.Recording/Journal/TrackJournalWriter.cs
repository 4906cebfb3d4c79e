using System.Buffers.Binary;
using MediaRelay.Core;
using MediaRelay.Recording.Crypto;

namespace MediaRelay.Recording.Journal;

/// <summary>
/// Appends one track's records to a journal (<see cref="TrackJournalFormat"/>) on the recorder's writer thread.
/// Appends copy into the current chunk and allocate nothing. A chunk is sealed (written and fsynced) when the next
/// record would not fit (~256 KB), and by <see cref="MaybeFlush"/> once the oldest unsealed record is a second old,
/// so a crash loses at most about a second. <see cref="Complete"/> ends a clean stop.
/// Disk errors throw <see cref="RecordingStorageException"/> (from any Append, MaybeFlush or Complete that seals);
/// the writer is then faulted and the caller stops the recording. Not thread-safe.
/// </summary>
public sealed class TrackJournalWriter : IDisposable
{
    private readonly ChunkedFileWriter _file;
    private readonly long _flushIntervalMicros;
    private long _oldestUnsealedMicros;
    private long _records;

    /// <param name="stream">Writable destination at the start of the file.</param>
    /// <param name="metadata">The track's header record; written and sealed immediately.</param>
    /// <param name="key">Encrypt with this key, or null for a plaintext journal (still CRC-protected).</param>
    /// <param name="chunkLength">Chunk size; 1 KB .. 16 MiB.</param>
    /// <param name="flushIntervalMicros">Longest time a record stays unsealed (measured by <see cref="MaybeFlush"/>).</param>
    public TrackJournalWriter(Stream stream, TrackJournalMetadata metadata, RecordingKey? key,
        int chunkLength = TrackJournalFormat.DefaultChunkLength,
        long flushIntervalMicros = TrackJournalFormat.DefaultFlushIntervalMicros,
        bool leaveOpen = false, bool flushToDisk = true)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (chunkLength < 1024)
        {
            ThrowHelper.ThrowArgument("A journal chunk is at least 1 KB.", nameof(chunkLength));
        }
        byte[] json = metadata.ToUtf8Json();
        if (json.Length > TrackJournalFormat.MaxBodyLength || json.Length + TrackJournalFormat.RecordHeaderLength > chunkLength)
        {
            ThrowHelper.ThrowArgument("Track metadata is too large for a journal header record.", nameof(metadata));
        }
        int maxChunk = Math.Max(chunkLength, TrackJournalFormat.RecordHeaderLength + TrackJournalFormat.MaxBodyLength);
        _file = new ChunkedFileWriter(stream, key, ChunkedFileContent.Journal, maxChunk, leaveOpen, flushToDisk);
        ChunkLength = chunkLength;
        _flushIntervalMicros = flushIntervalMicros;
        Metadata = metadata;
        try
        {
            json.CopyTo(WriteRecord(JournalRecordType.TrackHeader, json.Length));
            _file.SealChunk();
        }
        catch
        {
            _file.Dispose();
            throw;
        }
    }

    /// <summary>Creates a new journal file (fails if it exists; mode 0600; readable while written).</summary>
    public static TrackJournalWriter Create(string path, TrackJournalMetadata metadata, RecordingKey? key,
        int chunkLength = TrackJournalFormat.DefaultChunkLength)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, ChunkedFileWriter.CreateOptions());
        }
        catch (IOException e)
        {
            throw new RecordingStorageException($"Cannot create journal {path}: {e.Message}", e);
        }
        try
        {
            return new TrackJournalWriter(stream, metadata, key, chunkLength);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public TrackJournalMetadata Metadata { get; }

    /// <summary>A chunk is sealed before its plaintext would exceed this many bytes.</summary>
    public int ChunkLength { get; }

    /// <summary>Records appended, header and end-of-track included.</summary>
    public long RecordsWritten => _records;

    /// <summary>Bytes waiting in the unsealed chunk.</summary>
    public int BufferedLength => _file.BufferedLength;

    public long ChunksWritten => _file.ChunksWritten;

    /// <summary>Bytes written to the journal file so far (any thread).</summary>
    public long BytesWritten => _file.BytesWritten;

    public bool IsCompleted => _file.IsCompleted;

    public bool IsFaulted => _file.IsFaulted;

    /// <summary>
    /// Appends an RTP packet (plaintext, as forwarded). Returns false, writing nothing, if the packet is shorter
    /// than an RTP header or longer than <see cref="TrackJournalFormat.MaxRtpPacketLength"/>.
    /// </summary>
    public bool AppendRtpPacket(ReadOnlySpan<byte> packet, long arrivalUtcMicros, long arrivalMonotonicMicros)
    {
        if (packet.Length < TrackJournalFormat.MinRtpPacketLength || packet.Length > TrackJournalFormat.MaxRtpPacketLength)
        {
            return false;
        }
        Span<byte> body = WriteTimedRecord(JournalRecordType.RtpPacket, TrackJournalFormat.TimesLength + packet.Length,
            arrivalUtcMicros, arrivalMonotonicMicros);
        packet.CopyTo(body);
        return true;
    }

    /// <summary>Appends the sync information of an RFC 3550 §6.4.1 sender report.</summary>
    public void AppendSenderReport(uint ssrc, ulong ntpTimestamp, uint rtpTimestamp, long arrivalUtcMicros, long arrivalMonotonicMicros)
    {
        Span<byte> body = WriteTimedRecord(JournalRecordType.SenderReport, TrackJournalFormat.SenderReportBodyLength,
            arrivalUtcMicros, arrivalMonotonicMicros);
        BinaryPrimitives.WriteUInt32BigEndian(body, ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(body[4..], rtpTimestamp);
        BinaryPrimitives.WriteUInt64BigEndian(body[8..], ntpTimestamp);
    }

    /// <summary>Appends a gap or keyframe-request marker.</summary>
    public void AppendMarker(JournalMarkerKind kind, uint value, long utcMicros, long monotonicMicros)
    {
        Span<byte> body = WriteTimedRecord(JournalRecordType.Marker, TrackJournalFormat.MarkerBodyLength, utcMicros, monotonicMicros);
        body[0] = (byte)kind;
        body[1] = body[2] = body[3] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(body[4..], value);
    }

    /// <summary>
    /// Seals the current chunk if its oldest record (by arrival monotonic time) is at least the flush interval
    /// older than <paramref name="nowMonotonicMicros"/>. Call it from the writer loop at least a few times a second.
    /// Returns true if it sealed.
    /// </summary>
    public bool MaybeFlush(long nowMonotonicMicros)
    {
        if (_file.BufferedLength == 0 || nowMonotonicMicros - _oldestUnsealedMicros < _flushIntervalMicros)
        {
            return false;
        }
        _file.SealChunk();
        return true;
    }

    /// <summary>Seals the current chunk now (no-op if empty).</summary>
    public void Flush() => _file.SealChunk();

    /// <summary>Clean stop: appends the end-of-track record and writes the final chunk.</summary>
    public void Complete(long utcMicros, long monotonicMicros)
    {
        WriteTimedRecord(JournalRecordType.EndOfTrack, TrackJournalFormat.EndOfTrackBodyLength, utcMicros, monotonicMicros);
        _file.Complete();
    }

    private Span<byte> WriteTimedRecord(JournalRecordType type, int bodyLength, long utcMicros, long monotonicMicros)
    {
        Span<byte> body = WriteRecord(type, bodyLength);
        if (_file.BufferedLength == TrackJournalFormat.RecordHeaderLength + bodyLength)
        {
            _oldestUnsealedMicros = monotonicMicros; // the record opened a fresh chunk
        }
        BinaryPrimitives.WriteInt64BigEndian(body, utcMicros);
        BinaryPrimitives.WriteInt64BigEndian(body[8..], monotonicMicros);
        return body[TrackJournalFormat.TimesLength..];
    }

    private Span<byte> WriteRecord(JournalRecordType type, int bodyLength)
    {
        int total = TrackJournalFormat.RecordHeaderLength + bodyLength;
        if (_file.BufferedLength + total > ChunkLength)
        {
            _file.SealChunk();
        }
        Span<byte> record = _file.GetSpan(total);
        record[0] = (byte)type;
        record[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(record[2..], (ushort)bodyLength);
        _file.Advance(total);
        _records++;
        return record[TrackJournalFormat.RecordHeaderLength..];
    }

    /// <summary>Closes the file. Without <see cref="Complete"/>, unsealed records are dropped (as in a crash).</summary>
    public void Dispose() => _file.Dispose();
}
