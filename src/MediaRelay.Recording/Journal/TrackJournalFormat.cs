namespace MediaRelay.Recording.Journal;

/// <summary>
/// Track journal format: the plaintext of a chunked recording file (<see cref="Crypto.ChunkedFileFormat"/>, content
/// byte = 1) is a sequence of records. Records never straddle chunks, so every sealed chunk parses on its own and a
/// crash loses only records after the last sealed chunk. Chunk 0 holds the header record alone. Big-endian.
/// <code>
/// Record (4 + N bytes)
///   0  1  type         JournalRecordType
///   1  1  flags        0 (readers ignore it)
///   2  2  body length  N
///   4  N  body
///
/// TrackHeader  (type 1)  N = 1..65535   UTF-8 JSON, see TrackJournalMetadata
/// Every other body starts with the arrival times (16 bytes):
///   0  8  i64  arrival wall clock, microseconds since 1970-01-01 UTC
///   8  8  i64  arrival monotonic clock, microseconds (process monotonic clock; never goes back)
/// RtpPacket    (type 2)  N = 16 + P, P = 12..65519   + RTP packet bytes as forwarded (header, extensions, payload)
/// SenderReport (type 3)  N = 32   + u32 SSRC, u32 RTP timestamp, u64 NTP timestamp (RFC 3550 §6.4.1)
/// Marker       (type 4)  N = 24   + u8 JournalMarkerKind, 3 bytes 0, u32 value
/// EndOfTrack   (type 5)  N = 16   (clean stop; its chunk is the file's final chunk)
/// </code>
/// Readers skip records of unknown types (types 6..255) and any bytes past the documented body of known types.
/// </summary>
public static class TrackJournalFormat
{
    public const int RecordHeaderLength = 4;
    public const int TimesLength = 16;
    public const int MaxBodyLength = ushort.MaxValue;
    public const int MinRtpPacketLength = 12;
    public const int MaxRtpPacketLength = MaxBodyLength - TimesLength;
    public const int SenderReportBodyLength = TimesLength + 16;
    public const int MarkerBodyLength = TimesLength + 8;
    public const int EndOfTrackBodyLength = TimesLength;

    /// <summary>Default chunk size: a chunk is sealed before it would exceed this.</summary>
    public const int DefaultChunkLength = 256 * 1024;

    /// <summary>Default longest time a record waits in memory before its chunk is sealed.</summary>
    public const long DefaultFlushIntervalMicros = 1_000_000;
}
