using System.Buffers.Binary;
using MediaRelay.Recording.Crypto;

namespace MediaRelay.Recording.Journal;

/// <summary>
/// Reads a track journal, complete or left by a crash (every record up to the last sealed chunk). The header is
/// read by the constructor; records come one at a time as views over the chunk buffer, allocation-free.
/// Malformed or tampered journals throw <see cref="RecordingFormatException"/>.
/// </summary>
public sealed class TrackJournalReader : IDisposable
{
    private readonly ChunkedFileReader _file;
    private ReadOnlyMemory<byte> _chunk;
    private int _offset;

    public TrackJournalReader(Stream stream, RecordingKey? key, bool leaveOpen = false)
        : this(new ChunkedFileReader(stream, key, leaveOpen))
    {
    }

    public TrackJournalReader(Stream stream, IReadOnlyList<RecordingKey> keys, bool leaveOpen = false)
        : this(new ChunkedFileReader(stream, keys, leaveOpen))
    {
    }

    private TrackJournalReader(ChunkedFileReader file)
    {
        _file = file;
        try
        {
            if (file.Header.Content != ChunkedFileContent.Journal)
            {
                RecordingFormatException.Throw(RecordingFormatError.InvalidContent, "The file is not a track journal.");
            }
            if (!file.TryReadChunk(out ReadOnlySpan<byte> chunk))
            {
                RecordingFormatException.Throw(RecordingFormatError.TruncatedHeader,
                    "The journal ends before its header record: nothing was recorded.");
            }
            if (chunk.Length < TrackJournalFormat.RecordHeaderLength || chunk[0] != (byte)JournalRecordType.TrackHeader
                || BinaryPrimitives.ReadUInt16BigEndian(chunk[2..]) != chunk.Length - TrackJournalFormat.RecordHeaderLength)
            {
                RecordingFormatException.Throw(RecordingFormatError.InvalidContent, "The journal does not start with a header record.");
            }
            Metadata = TrackJournalMetadata.FromUtf8Json(chunk[TrackJournalFormat.RecordHeaderLength..]);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Opens a journal file, also while its writer is still appending.</summary>
    public static TrackJournalReader Open(string path, IReadOnlyList<RecordingKey> keys) =>
        new(ChunkedFileReader.Open(path, keys));

    public TrackJournalMetadata Metadata { get; }

    public ChunkedFileHeader FileHeader => _file.Header;

    /// <summary>After the last record: Complete (clean stop) or Truncated (crash; unsealed records lost).</summary>
    public ChunkedFileStatus Status => _file.Status;

    /// <summary>True once an end-of-track record was read.</summary>
    public bool EndOfTrackSeen { get; private set; }

    /// <summary>Reads the next record; false at the end of the journal (see <see cref="Status"/>).</summary>
    public bool TryReadRecord(out JournalRecord record)
    {
        record = default;
        while (_offset == _chunk.Length)
        {
            if (!_file.TryReadChunkMemory(out _chunk))
            {
                _offset = 0;
                return false;
            }
            _offset = 0;
        }
        ReadOnlySpan<byte> rest = _chunk.Span[_offset..];
        if (rest.Length < TrackJournalFormat.RecordHeaderLength)
        {
            RecordingFormatException.Throw(RecordingFormatError.InvalidContent, "A journal record header crosses the chunk end.");
        }
        var type = (JournalRecordType)rest[0];
        int bodyLength = BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
        if (bodyLength > rest.Length - TrackJournalFormat.RecordHeaderLength)
        {
            RecordingFormatException.Throw(RecordingFormatError.InvalidContent, "A journal record crosses the chunk end.");
        }
        int minimum = type switch
        {
            JournalRecordType.RtpPacket => TrackJournalFormat.TimesLength + TrackJournalFormat.MinRtpPacketLength,
            JournalRecordType.SenderReport => TrackJournalFormat.SenderReportBodyLength,
            JournalRecordType.Marker => TrackJournalFormat.MarkerBodyLength,
            JournalRecordType.EndOfTrack => TrackJournalFormat.EndOfTrackBodyLength,
            JournalRecordType.TrackHeader => int.MaxValue, // only allowed first
            0 => int.MaxValue,
            _ => 0, // unknown newer record: skipped by the caller via Type
        };
        if (bodyLength < minimum)
        {
            RecordingFormatException.Throw(RecordingFormatError.InvalidContent, $"Journal record of type {(byte)type} has an invalid length {bodyLength}.");
        }
        _offset += TrackJournalFormat.RecordHeaderLength + bodyLength;
        if (type == JournalRecordType.EndOfTrack)
        {
            EndOfTrackSeen = true;
        }
        record = new JournalRecord(type, rest.Slice(TrackJournalFormat.RecordHeaderLength, bodyLength));
        return true;
    }

    public void Dispose() => _file.Dispose();
}
