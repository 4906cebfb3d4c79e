using MediaRelay.Recording.Journal;
using MediaRelay.Recording.Tests.Crypto;

namespace MediaRelay.Recording.Tests.Journal;

public class TrackJournalAllocationTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AppendingAndSealingAllocateNothing(bool encrypted)
    {
        string path = Path.Combine(Path.GetTempPath(), $"journal-alloc-{Guid.NewGuid():N}.mrj");
        try
        {
            using var writer = TrackJournalWriter.Create(path, TrackJournalTestData.Metadata(), ChunkedFileTestData.KeyFor(encrypted));
            byte[] packet = TrackJournalTestData.RtpPacket(1, 1100);
            long now = 0;
            for (int i = 0; i < 1000; i++)
            {
                Append(writer, packet, ref now);
            }
            long chunksBefore = writer.ChunksWritten;
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10_000; i++)
            {
                Append(writer, packet, ref now);
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(0, allocated);
            Assert.True(writer.ChunksWritten - chunksBefore > 40); // sealing (size and time) was measured too
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void Append(TrackJournalWriter writer, byte[] packet, ref long now)
    {
        now += 20_000;
        writer.AppendRtpPacket(packet, now, now);
        if (now % 100_000 == 0)
        {
            writer.AppendSenderReport(1, (ulong)now, (uint)now, now, now);
        }
        writer.MaybeFlush(now);
    }

    [Fact]
    public void ReadingRecordsAllocatesNothingPerRecord()
    {
        var stream = new MemoryStream();
        using (var writer = new TrackJournalWriter(stream, TrackJournalTestData.Metadata(), ChunkedFileTestData.Key, leaveOpen: true))
        {
            for (int i = 0; i < 10_000; i++)
            {
                writer.AppendRtpPacket(TrackJournalTestData.RtpPacket((ushort)i), i, i);
            }
            writer.Complete(0, 0);
        }
        using var reader = new TrackJournalReader(new MemoryStream(stream.ToArray()), ChunkedFileTestData.Key);
        for (int i = 0; i < 100; i++)
        {
            reader.TryReadRecord(out _);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        long sum = 0;
        while (reader.TryReadRecord(out JournalRecord r))
        {
            sum += r.RtpPacket.Length;
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(sum > 0);
    }
}
