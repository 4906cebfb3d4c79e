using MediaRelay.Recording.Journal;

namespace MediaRelay.Recording.Tests.Journal;

internal static class TrackJournalTestData
{
    public static TrackJournalMetadata Metadata() => new()
    {
        RecordingId = "rec-42",
        TrackId = "trk-7",
        ParticipantId = "p-1",
        ParticipantName = "Dr. Émilie \"Doc\" Zoë",
        Kind = TrackMediaKind.Video,
        Source = TrackSource.Camera,
        Codec = "VP8",
        PayloadType = 96,
        ClockRate = 90000,
        Channels = 0,
        Ssrc = 0xDEADBEEF,
        StartedAt = new DateTimeOffset(2025, 3, 4, 10, 11, 12, 345, TimeSpan.Zero),
    };

    /// <summary>A minimal RTP packet: version 2, PT 96, the given sequence number, payload of <paramref name="payload"/> bytes.</summary>
    public static byte[] RtpPacket(ushort sequence, int payload = 100)
    {
        var packet = new byte[12 + payload];
        packet[0] = 0x80;
        packet[1] = 96;
        packet[2] = (byte)(sequence >> 8);
        packet[3] = (byte)sequence;
        for (int i = 12; i < packet.Length; i++)
        {
            packet[i] = (byte)(i + sequence);
        }
        return packet;
    }
}
