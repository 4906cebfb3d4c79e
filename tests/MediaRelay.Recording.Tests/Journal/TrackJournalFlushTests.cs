using MediaRelay.Recording.Crypto;
using MediaRelay.Recording.Journal;
using MediaRelay.Recording.Tests.Crypto;

namespace MediaRelay.Recording.Tests.Journal;

public class TrackJournalFlushTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RecordsReachTheFileWithinASecondWhileTheWriterIsOpen(bool encrypted)
    {
        RecordingKey? key = ChunkedFileTestData.KeyFor(encrypted);
        string path = Path.Combine(Path.GetTempPath(), $"journal-{Guid.NewGuid():N}.mrj");
        try
        {
            using var writer = TrackJournalWriter.Create(path, TrackJournalTestData.Metadata(), key);
            long start = 10_000_000;
            for (ushort i = 0; i < 20; i++)
            {
                writer.AppendRtpPacket(TrackJournalTestData.RtpPacket(i), 1_700_000_000_000_000 + i * 20_000L, start + i * 20_000L);
            }
            Assert.False(writer.MaybeFlush(start + 999_999)); // the oldest record is not a second old yet
            Assert.Equal(0, CountRecords(path, key, out _));

            Assert.True(writer.MaybeFlush(start + 1_000_000));
            Assert.Equal(0, writer.BufferedLength);
            Assert.Equal(20, CountRecords(path, key, out ChunkedFileStatus status));
            Assert.Equal(ChunkedFileStatus.Truncated, status); // still being written

            Assert.False(writer.MaybeFlush(start + 5_000_000)); // nothing buffered
            writer.AppendSenderReport(1, 2, 3, 4, start + 5_000_000);
            Assert.False(writer.MaybeFlush(start + 5_500_000));
            Assert.True(writer.MaybeFlush(start + 6_000_000));
            Assert.Equal(21, CountRecords(path, key, out _));

            writer.Complete(0, start + 7_000_000);
            Assert.Equal(22, CountRecords(path, key, out status));
            Assert.Equal(ChunkedFileStatus.Complete, status);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ChunkIsSealedWhenTheNextRecordWouldOverflowIt()
    {
        var stream = new MemoryStream();
        using var writer = new TrackJournalWriter(stream, TrackJournalTestData.Metadata(), null, chunkLength: 4096, leaveOpen: true);
        byte[] packet = TrackJournalTestData.RtpPacket(1, 1000); // record = 4 + 16 + 1012 = 1032 bytes
        for (int i = 0; i < 3; i++)
        {
            writer.AppendRtpPacket(packet, 0, 0);
        }
        Assert.Equal(1, writer.ChunksWritten);
        Assert.Equal(3 * 1032, writer.BufferedLength);
        writer.AppendRtpPacket(packet, 0, 0); // 4128 > 4096
        Assert.Equal(2, writer.ChunksWritten);
        Assert.Equal(1032, writer.BufferedLength);
    }

    [Fact]
    public void DefaultChunkIsAbout256KB()
    {
        var stream = new MemoryStream();
        using var writer = new TrackJournalWriter(stream, TrackJournalTestData.Metadata(), null, leaveOpen: true);
        byte[] packet = TrackJournalTestData.RtpPacket(1, 1188);
        int appended = 0;
        while (writer.ChunksWritten == 1)
        {
            writer.AppendRtpPacket(packet, 0, 0);
            appended++;
        }
        Assert.Equal(256 * 1024 / 1220 + 1, appended);
    }

    private static int CountRecords(string path, RecordingKey? key, out ChunkedFileStatus status)
    {
        using var reader = TrackJournalReader.Open(path, key is null ? [] : [key]);
        int count = 0;
        while (reader.TryReadRecord(out _))
        {
            count++;
        }
        status = reader.Status;
        return count;
    }
}
