using System.Buffers.Binary;

namespace MediaRelay.Recording.Journal;

/// <summary>
/// One journal record, a view over the reader's chunk buffer (valid until the reader's next call). Layouts in
/// <see cref="TrackJournalFormat"/>; the reader has checked the body length for the type, so the accessors of the
/// record's own type are safe; those of other types return 0 / empty.
/// </summary>
public readonly ref struct JournalRecord
{
    private readonly ReadOnlySpan<byte> _body;

    internal JournalRecord(JournalRecordType type, ReadOnlySpan<byte> body)
    {
        Type = type;
        _body = body;
    }

    public JournalRecordType Type { get; }

    /// <summary>The raw body.</summary>
    public ReadOnlySpan<byte> Body => _body;

    private bool IsTimed => Type != JournalRecordType.TrackHeader && _body.Length >= TrackJournalFormat.TimesLength;

    /// <summary>Arrival wall-clock time, microseconds since the Unix epoch (UTC).</summary>
    public long ArrivalUtcMicros => IsTimed ? BinaryPrimitives.ReadInt64BigEndian(_body) : 0;

    /// <summary>Arrival monotonic time, microseconds.</summary>
    public long ArrivalMonotonicMicros => IsTimed ? BinaryPrimitives.ReadInt64BigEndian(_body[8..]) : 0;

    /// <summary>RtpPacket: the RTP packet bytes.</summary>
    public ReadOnlySpan<byte> RtpPacket => Type == JournalRecordType.RtpPacket ? _body[TrackJournalFormat.TimesLength..] : default;

    /// <summary>SenderReport: the reporting SSRC.</summary>
    public uint SenderSsrc => Type == JournalRecordType.SenderReport ? BinaryPrimitives.ReadUInt32BigEndian(_body[16..]) : 0;

    /// <summary>SenderReport: the RTP timestamp matching <see cref="NtpTimestamp"/>.</summary>
    public uint RtpTimestamp => Type == JournalRecordType.SenderReport ? BinaryPrimitives.ReadUInt32BigEndian(_body[20..]) : 0;

    /// <summary>SenderReport: 64-bit NTP timestamp (RFC 3550 §4: seconds since 1900 in the high 32 bits).</summary>
    public ulong NtpTimestamp => Type == JournalRecordType.SenderReport ? BinaryPrimitives.ReadUInt64BigEndian(_body[24..]) : 0;

    /// <summary>Marker: what it marks.</summary>
    public JournalMarkerKind MarkerKind => Type == JournalRecordType.Marker ? (JournalMarkerKind)_body[16] : 0;

    /// <summary>Marker: its value (e.g. packets dropped).</summary>
    public uint MarkerValue => Type == JournalRecordType.Marker ? BinaryPrimitives.ReadUInt32BigEndian(_body[20..]) : 0;
}
