using MediaRelay.Recording.Crypto;
using MediaRelay.Recording.Finalize;
using MediaRelay.Recording.Journal;

namespace MediaRelay.Server.Recording;

/// <summary>
/// What the journals of a recording hold, read back after a crash (the counts a clean stop takes from the live
/// session): per journal its track number, header, RTP packets and size, and the last arrival over all of them.
/// Journals that cannot be read are left to the finalizer, which reports them.
/// </summary>
internal static class JournalCensus
{
    public sealed record Track(int Number, TrackJournalMetadata Metadata, long Packets, long Bytes);

    public static (IReadOnlyList<Track> Tracks, DateTimeOffset? LastArrival) Read(string journalDirectory, IReadOnlyList<RecordingKey> keys)
    {
        var tracks = new List<Track>();
        long last = long.MinValue;
        if (!Directory.Exists(journalDirectory))
        {
            return (tracks, null);
        }
        foreach (string path in Directory.GetFiles(journalDirectory, "track-*" + RecordingFinalizer.JournalExtension).Order(StringComparer.Ordinal))
        {
            string stem = Path.GetFileNameWithoutExtension(path);
            if (!int.TryParse(stem.AsSpan("track-".Length), out int number))
            {
                continue;
            }
            try
            {
                using TrackJournalReader reader = TrackJournalReader.Open(path, keys);
                long packets = 0;
                while (reader.TryReadRecord(out JournalRecord record))
                {
                    if (record.Type == JournalRecordType.RtpPacket)
                    {
                        packets++;
                        last = Math.Max(last, record.ArrivalUtcMicros);
                    }
                }
                tracks.Add(new Track(number, reader.Metadata, packets, new FileInfo(path).Length));
            }
            catch (Exception e) when (e is RecordingFormatException or IOException)
            {
                // a header cut by the crash or a damaged file: the finalizer decides and reports
            }
        }
        return (tracks, last == long.MinValue ? null : DateTimeOffset.FromUnixTimeMilliseconds(last / 1000));
    }
}
