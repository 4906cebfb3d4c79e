using MediaRelay.Recording.Crypto;
using MediaRelay.Recording.Journal;
using MediaRelay.Recording.Tests.Crypto;

namespace MediaRelay.Recording.Tests.Journal;

public class TrackJournalRoundTripTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RoundTripsAllRecordTypes(bool encrypted)
    {
        RecordingKey? key = ChunkedFileTestData.KeyFor(encrypted);
        var stream = new MemoryStream();
        using (var writer = new TrackJournalWriter(stream, TrackJournalTestData.Metadata(), key, chunkLength: 4096, leaveOpen: true))
        {
            Assert.Equal(1, writer.ChunksWritten); // the header is sealed at once
            for (ushort i = 0; i < 100; i++)
            {
                Assert.True(writer.AppendRtpPacket(TrackJournalTestData.RtpPacket(i), 1_700_000_000_000_000 + i, 5_000 + i));
            }
            writer.AppendSenderReport(0xDEADBEEF, 0xE000_0000_8000_0000, 123456, 1_700_000_000_000_500, 5_500);
            writer.AppendMarker(JournalMarkerKind.Gap, 17, 1_700_000_000_000_600, 5_600);
            writer.AppendMarker(JournalMarkerKind.KeyframeRequest, 0, 1_700_000_000_000_700, 5_700);
            writer.Complete(1_700_000_000_000_800, 5_800);
            Assert.True(writer.ChunksWritten > 2); // 100 × 132 bytes do not fit one 4 KB chunk
        }

        using var reader = new TrackJournalReader(new MemoryStream(stream.ToArray()), key);
        TrackJournalMetadata m = reader.Metadata;
        TrackJournalMetadata expected = TrackJournalTestData.Metadata();
        Assert.Equal(expected.RecordingId, m.RecordingId);
        Assert.Equal(expected.TrackId, m.TrackId);
        Assert.Equal(expected.ParticipantId, m.ParticipantId);
        Assert.Equal(expected.ParticipantName, m.ParticipantName);
        Assert.Equal(expected.Kind, m.Kind);
        Assert.Equal(expected.Source, m.Source);
        Assert.Equal(expected.Codec, m.Codec);
        Assert.Equal(expected.PayloadType, m.PayloadType);
        Assert.Equal(expected.ClockRate, m.ClockRate);
        Assert.Equal(expected.Channels, m.Channels);
        Assert.Equal(expected.Ssrc, m.Ssrc);
        Assert.Equal(expected.StartedAt, m.StartedAt);

        for (ushort i = 0; i < 100; i++)
        {
            Assert.True(reader.TryReadRecord(out JournalRecord r));
            Assert.Equal(JournalRecordType.RtpPacket, r.Type);
            Assert.Equal(1_700_000_000_000_000 + i, r.ArrivalUtcMicros);
            Assert.Equal(5_000 + i, r.ArrivalMonotonicMicros);
            Assert.Equal(TrackJournalTestData.RtpPacket(i), r.RtpPacket.ToArray());
        }
        Assert.True(reader.TryReadRecord(out JournalRecord sr));
        Assert.Equal(JournalRecordType.SenderReport, sr.Type);
        Assert.Equal(0xDEADBEEFu, sr.SenderSsrc);
        Assert.Equal(0xE000_0000_8000_0000ul, sr.NtpTimestamp);
        Assert.Equal(123456u, sr.RtpTimestamp);
        Assert.Equal(5_500, sr.ArrivalMonotonicMicros);
        Assert.True(reader.TryReadRecord(out JournalRecord gap));
        Assert.Equal((JournalMarkerKind.Gap, 17u), (gap.MarkerKind, gap.MarkerValue));
        Assert.True(reader.TryReadRecord(out JournalRecord pli));
        Assert.Equal(JournalMarkerKind.KeyframeRequest, pli.MarkerKind);
        Assert.True(reader.TryReadRecord(out JournalRecord end));
        Assert.Equal(JournalRecordType.EndOfTrack, end.Type);
        Assert.Equal(1_700_000_000_000_800, end.ArrivalUtcMicros);
        Assert.False(reader.TryReadRecord(out _));
        Assert.True(reader.EndOfTrackSeen);
        Assert.Equal(ChunkedFileStatus.Complete, reader.Status);
    }

    [Fact]
    public void HeaderJsonIsDocumentedShape()
    {
        string json = System.Text.Encoding.UTF8.GetString(TrackJournalTestData.Metadata().ToUtf8Json());
        Assert.StartsWith("{\"version\":1,\"recordingId\":\"rec-42\",\"trackId\":\"trk-7\",\"participantId\":\"p-1\",\"participantName\":\"Dr. Émilie \\\"Doc\\\" Zoë\",", json);
        Assert.Contains("\"kind\":\"video\",\"source\":\"camera\",\"codec\":\"VP8\",\"payloadType\":96,\"clockRate\":90000,\"channels\":0,\"ssrc\":3735928559,\"startedAt\":\"2025-03-04T10:11:12.3450000+00:00\"}", json);
    }

    [Fact]
    public void RejectsRtpPacketsOfImpossibleSize()
    {
        using var writer = new TrackJournalWriter(new MemoryStream(), TrackJournalTestData.Metadata(), null);
        Assert.False(writer.AppendRtpPacket(new byte[11], 0, 0));
        Assert.False(writer.AppendRtpPacket(new byte[TrackJournalFormat.MaxRtpPacketLength + 1], 0, 0));
        Assert.True(writer.AppendRtpPacket(new byte[TrackJournalFormat.MaxRtpPacketLength], 0, 0));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void CrashedJournalKeepsSealedRecords(bool encrypted)
    {
        RecordingKey? key = ChunkedFileTestData.KeyFor(encrypted);
        var stream = new MemoryStream();
        int sealedRecords;
        using (var writer = new TrackJournalWriter(stream, TrackJournalTestData.Metadata(), key, leaveOpen: true))
        {
            for (ushort i = 0; i < 50; i++)
            {
                writer.AppendRtpPacket(TrackJournalTestData.RtpPacket(i), i, i * 20_000L);
            }
            Assert.True(writer.MaybeFlush(50 * 20_000L)); // oldest record is at 0, now is 1 s later
            sealedRecords = 50;
            for (ushort i = 50; i < 60; i++)
            {
                writer.AppendRtpPacket(TrackJournalTestData.RtpPacket(i), i, i * 20_000L);
            }
            // "Crash": dispose without Complete; the last 10 records were never sealed.
        }
        byte[] file = stream.ToArray();
        // Also a torn tail: half a chunk of junk after the last sealed chunk.
        byte[] torn = [.. file, .. new byte[] { 0x00, 0x00, 0x10, 0x00, 1, 2, 3 }];
        foreach (byte[] candidate in new[] { file, torn })
        {
            using var reader = new TrackJournalReader(new MemoryStream(candidate), key);
            int count = 0;
            while (reader.TryReadRecord(out JournalRecord r))
            {
                Assert.Equal(TrackJournalTestData.RtpPacket((ushort)count), r.RtpPacket.ToArray());
                count++;
            }
            Assert.Equal(sealedRecords, count);
            Assert.Equal(ChunkedFileStatus.Truncated, reader.Status);
            Assert.False(reader.EndOfTrackSeen);
        }
    }

    [Fact]
    public void JournalWithoutHeaderChunkIsTruncatedHeader()
    {
        var stream = new MemoryStream();
        new TrackJournalWriter(stream, TrackJournalTestData.Metadata(), null, leaveOpen: true).Dispose();
        byte[] headerOnly = stream.ToArray()[..ChunkedFileFormat.HeaderLength];
        var e = Assert.Throws<RecordingFormatException>(() => new TrackJournalReader(new MemoryStream(headerOnly), (RecordingKey?)null));
        Assert.Equal(RecordingFormatError.TruncatedHeader, e.Error);
    }

    [Fact]
    public void NonJournalFileIsRejected()
    {
        byte[] media = ChunkedFileTestData.Write(ChunkedFileTestData.Chunks(1), null, complete: true);
        var e = Assert.Throws<RecordingFormatException>(() => new TrackJournalReader(new MemoryStream(media), (RecordingKey?)null));
        Assert.Equal(RecordingFormatError.InvalidContent, e.Error);
    }
}
