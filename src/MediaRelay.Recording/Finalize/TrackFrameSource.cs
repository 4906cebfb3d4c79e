using MediaRelay.Recording.Crypto;
using MediaRelay.Recording.Journal;
using MediaRelay.Recording.Media;
using MediaRelay.Rtp;

namespace MediaRelay.Recording.Finalize;

/// <summary>
/// One track's journal as a stream of whole frames on the room clock (µs), in order: journal records → reorder
/// buffer → codec assembler → timeline. The current frame is copied into a buffer of its own, so sources of several
/// tracks can be merged by time. The timeline must already hold the track's sender reports (the finalizer's first
/// pass), so the mapping is stable from the first frame.
/// </summary>
internal sealed class TrackFrameSource : IFrameSource
{
    private readonly TrackJournalReader _reader;
    private readonly TrackReorderBuffer _reorder = new();
    private readonly IFrameAssembler _assembler;
    private readonly TrackTimeline _timeline;
    private byte[] _frame = new byte[64 * 1024];
    private bool _journalEnded;
    private bool _flushed;

    public TrackFrameSource(string path, IReadOnlyList<RecordingKey> keys, TrackTimeline timeline)
    {
        _reader = TrackJournalReader.Open(path, keys);
        Metadata = _reader.Metadata;
        _timeline = timeline;
        _assembler = Metadata.Codec.ToUpperInvariant() switch
        {
            "VP8" => new Vp8FrameAssembler(),
            "H264" => new H264FrameAssembler(),
            "OPUS" => new OpusFrameAssembler(Metadata.RedPayloadType is > 0 and < 128 ? Metadata.RedPayloadType : -1),
            _ => throw new NotSupportedException($"Recording codec '{Metadata.Codec}' is not supported."),
        };
    }

    public TrackJournalMetadata Metadata { get; }

    public bool IsVideo => Metadata.Kind == TrackMediaKind.Video;

    /// <summary>The current frame's time on the room clock, µs (valid after <see cref="MoveNext"/> returned true).</summary>
    public long Time { get; private set; }

    public bool IsKeyframe { get; private set; }

    public int Width { get; private set; }

    public int Height { get; private set; }

    public ReadOnlySpan<byte> Frame => _frame.AsSpan(0, FrameLength);

    public int FrameLength { get; private set; }

    public long Frames { get; private set; }

    public long LostPackets => _reorder.Lost;

    public bool Truncated => _reader.Status == ChunkedFileStatus.Truncated;

    /// <summary>Reads the journal's sender reports into <paramref name="timeline"/> (the first pass).</summary>
    public static void LoadSenderReports(string path, IReadOnlyList<RecordingKey> keys, TrackTimeline timeline)
    {
        using TrackJournalReader reader = TrackJournalReader.Open(path, keys);
        while (reader.TryReadRecord(out JournalRecord record))
        {
            if (record.Type == JournalRecordType.SenderReport)
            {
                timeline.AddSenderReport(record.NtpTimestamp, record.RtpTimestamp, record.ArrivalMonotonicMicros);
            }
        }
    }

    public static TrackJournalMetadata ReadMetadata(string path, IReadOnlyList<RecordingKey> keys)
    {
        using TrackJournalReader reader = TrackJournalReader.Open(path, keys);
        return reader.Metadata;
    }

    /// <summary>Advances to the next whole frame; false at the end of the journal.</summary>
    public bool MoveNext()
    {
        while (true)
        {
            if (TakeFrame())
            {
                return true;
            }
            if (PopPacket())
            {
                continue;
            }
            if (_journalEnded)
            {
                if (_flushed)
                {
                    return false;
                }
                _flushed = true;
                _assembler.Flush();
                continue;
            }
            if (!_reader.TryReadRecord(out JournalRecord record))
            {
                _journalEnded = true;
                _reorder.Complete();
                continue;
            }
            if (record.Type == JournalRecordType.RtpPacket)
            {
                _reorder.Push(record.RtpPacket, record.ArrivalMonotonicMicros);
            }
        }
    }

    private bool PopPacket()
    {
        if (!_reorder.TryPop(out ReorderedPacket packet))
        {
            return false;
        }
        RtpPacket rtp = packet.Rtp;
        _assembler.Push(rtp, packet.Sequence, packet.ArrivalMicroseconds);
        return true;
    }

    private bool TakeFrame()
    {
        if (!_assembler.TryTakeFrame(out EncodedFrame frame))
        {
            return false;
        }
        if (frame.Length > _frame.Length)
        {
            _frame = new byte[Math.Max(frame.Length, _frame.Length * 2)];
        }
        frame.Data.CopyTo(_frame);
        FrameLength = frame.Length;
        IsKeyframe = frame.IsKeyframe;
        if (frame.Width > 0)
        {
            Width = frame.Width;
            Height = frame.Height;
        }
        Time = _timeline.ToRoomMicroseconds(frame.Timestamp, frame.ArrivalMicroseconds);
        Frames++;
        return true;
    }

    public void Dispose() => _reader.Dispose();
}
