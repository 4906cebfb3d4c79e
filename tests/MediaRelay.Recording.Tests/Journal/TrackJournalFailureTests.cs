using MediaRelay.Recording.Crypto;
using MediaRelay.Recording.Journal;
using MediaRelay.Recording.Tests.Crypto;

namespace MediaRelay.Recording.Tests.Journal;

public class TrackJournalFailureTests
{
    [Fact]
    public void DiskFullDuringAppendIsAClearStorageException()
    {
        var stream = new FailingStream(20_000);
        using var writer = new TrackJournalWriter(stream, TrackJournalTestData.Metadata(), ChunkedFileTestData.Key, chunkLength: 4096, leaveOpen: true);
        byte[] packet = TrackJournalTestData.RtpPacket(1, 1000);
        RecordingStorageException? failure = null;
        int appended = 0;
        for (int i = 0; i < 100 && failure is null; i++)
        {
            try
            {
                writer.AppendRtpPacket(packet, i, i);
                appended++;
            }
            catch (RecordingStorageException e)
            {
                failure = e;
            }
        }
        Assert.NotNull(failure);
        Assert.True(failure.IsDiskFull);
        Assert.Contains("full", failure.Message);
        Assert.True(writer.IsFaulted);
        Assert.Throws<RecordingStorageException>(() => writer.MaybeFlush(long.MaxValue / 2));

        using var reader = new TrackJournalReader(new MemoryStream(stream.ToArray()), ChunkedFileTestData.Key);
        int count = 0;
        while (reader.TryReadRecord(out _))
        {
            count++;
        }
        Assert.Equal(ChunkedFileStatus.Truncated, reader.Status);
        Assert.True(count > 0 && count <= appended);
    }

    [Fact]
    public void CreateOnFullDeviceIsAClearStorageException()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        var stream = new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 0);
        var e = Assert.Throws<RecordingStorageException>(() => new TrackJournalWriter(stream, TrackJournalTestData.Metadata(), null));
        Assert.True(e.IsDiskFull);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GarbageRecordsNeverThrowAnythingElse(bool encrypted)
    {
        RecordingKey? key = ChunkedFileTestData.KeyFor(encrypted);
        byte[] header = TrackJournalTestData.Metadata().ToUtf8Json();
        byte[] headerRecord = [1, 0, (byte)(header.Length >> 8), (byte)header.Length, .. header];
        var random = new Random(99);
        for (int i = 0; i < 2000; i++)
        {
            var chunk = new byte[random.Next(4, 300)];
            random.NextBytes(chunk);
            if (i % 4 == 0)
            {
                chunk[0] = (byte)random.Next(0, 7);
                chunk[1] = 0;
                chunk[2] = 0;
                chunk[3] = (byte)random.Next(0, chunk.Length);
            }
            byte[][] chunks = i % 5 == 0 ? [chunk] : [headerRecord, chunk];
            var stream = new MemoryStream();
            using (var writer = new ChunkedFileWriter(stream, key, ChunkedFileContent.Journal, leaveOpen: true))
            {
                foreach (byte[] c in chunks)
                {
                    writer.Write(c);
                    writer.SealChunk();
                }
                writer.Complete();
            }
            try
            {
                using var reader = new TrackJournalReader(new MemoryStream(stream.ToArray()), key);
                while (reader.TryReadRecord(out JournalRecord r))
                {
                    _ = (ulong)(r.ArrivalUtcMicros + r.ArrivalMonotonicMicros + r.RtpPacket.Length) + r.NtpTimestamp + r.MarkerValue + r.SenderSsrc + r.RtpTimestamp + (ulong)r.MarkerKind;
                }
            }
            catch (RecordingFormatException)
            {
            }
        }
    }

    [Fact]
    public void BadMetadataJsonIsAFormatError()
    {
        foreach (string json in new[] { "", "[]", "{}", "{\"recordingId\":1}", "not json", "{\"recordingId\":\"a\",\"trackId\":\"b\",\"participantId\":\"c\",\"kind\":\"smell\"}" })
        {
            Assert.Throws<RecordingFormatException>(() => TrackJournalMetadata.FromUtf8Json(System.Text.Encoding.UTF8.GetBytes(json)));
        }
    }
}
