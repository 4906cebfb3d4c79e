using MediaRelay.Recording.Crypto;
using MediaRelay.Recording.Journal;
using MediaRelay.Recording.Native;
using MediaRelay.Rtp;

namespace MediaRelay.Recording.Tests.Finalize;

/// <summary>
/// Builds the journals a recording of one participant would leave: real VP8 and Opus frames (demuxed from an
/// ffmpeg-encoded file) packetized as a browser sends them (RFC 7741 VP8 descriptor, ≤ 1100-byte packets, marker on
/// the last; RFC 7587 one Opus frame per packet), arrival times with a few ms of jitter, and an RTCP sender report
/// per track every second on one NTP clock.
/// </summary>
internal static class JournalFromMedia
{
    public const uint AudioSsrc = 0x0A0A0A0A, VideoSsrc = 0x0B0B0B0B;
    private const long ArrivalBase = 5_000_000_000; // monotonic µs
    private const long UtcBase = 1_795_000_000_000_000; // 2026-11, µs since 1970
    private const ulong NtpEpochOffset = 2_208_988_800;

    /// <summary>Writes audio.mrj and video.mrj into <paramref name="directory"/>; stops cleanly, or "crashes" at <paramref name="crashAtMicros"/>.</summary>
    public static void Write(string media, string directory, RecordingKey? key, long crashAtMicros = long.MaxValue)
    {
        Directory.CreateDirectory(directory);
        using var demuxer = new MediaDemuxer(media);
        int videoStream = demuxer.Streams.Single(s => s.Kind == MediaKind.Video).Index;
        using TrackJournalWriter video = TrackJournalWriter.Create(Path.Combine(directory, "video.mrj"), Metadata("video", TrackMediaKind.Video, TrackSource.Camera, "VP8", 96, 90000, 0, VideoSsrc), key);
        using TrackJournalWriter audio = TrackJournalWriter.Create(Path.Combine(directory, "audio.mrj"), Metadata("audio", TrackMediaKind.Audio, TrackSource.Microphone, "opus", 111, 48000, 2, AudioSsrc), key);
        byte[] packet = new byte[1500];
        ushort videoSequence = 1000, audioSequence = 2000;
        long nextReport = 0;
        var random = new Random(7);
        bool crashed = false;
        while (demuxer.TryRead(out MediaPacket frame))
        {
            long pts = frame.PtsMicroseconds;
            if (pts >= crashAtMicros)
            {
                crashed = true;
                break;
            }
            long arrival = ArrivalBase + pts + random.Next(0, 3000);
            if (pts >= nextReport)
            {
                nextReport += 1_000_000;
                ulong ntp = Ntp(UtcBase + pts);
                video.AppendSenderReport(VideoSsrc, ntp, (uint)(90_000 * pts / 1_000_000), UtcBase + pts, ArrivalBase + pts);
                audio.AppendSenderReport(AudioSsrc, ntp, (uint)(48_000 * pts / 1_000_000), UtcBase + pts, ArrivalBase + pts);
            }
            if (frame.Stream == videoStream)
            {
                ReadOnlySpan<byte> data = frame.Data;
                uint timestamp = (uint)(90_000 * pts / 1_000_000);
                for (int offset = 0; offset < data.Length; offset += 1100)
                {
                    int length = Math.Min(1100, data.Length - offset);
                    bool last = offset + length == data.Length;
                    int header = Header(packet, 96, last, videoSequence++, timestamp, VideoSsrc);
                    packet[header] = (byte)(offset == 0 ? 0x10 : 0x00); // RFC 7741 §4.2: S bit on the frame's start, PID 0
                    data.Slice(offset, length).CopyTo(packet.AsSpan(header + 1));
                    video.AppendRtpPacket(packet.AsSpan(0, header + 1 + length), UtcBase + arrival - ArrivalBase, arrival);
                }
            }
            else
            {
                int header = Header(packet, 111, false, audioSequence++, (uint)(48_000 * pts / 1_000_000), AudioSsrc);
                frame.Data.CopyTo(packet.AsSpan(header));
                audio.AppendRtpPacket(packet.AsSpan(0, header + frame.Data.Length), UtcBase + arrival - ArrivalBase, arrival);
            }
            video.MaybeFlush(arrival);
            audio.MaybeFlush(arrival);
        }
        if (!crashed)
        {
            video.Complete(UtcBase + 3_100_000, ArrivalBase + 3_100_000);
            audio.Complete(UtcBase + 3_100_000, ArrivalBase + 3_100_000);
        }
        // A crash: Dispose without Complete drops what was not sealed, as kill -9 would.
    }

    private static TrackJournalMetadata Metadata(string track, TrackMediaKind kind, TrackSource source, string codec, int payloadType,
        int clockRate, int channels, uint ssrc) => new()
        {
            RecordingId = "rec-test",
            TrackId = track,
            ParticipantId = "p1",
            ParticipantName = "Dr Chen",
            Kind = kind,
            Source = source,
            Codec = codec,
            PayloadType = payloadType,
            ClockRate = clockRate,
            Channels = channels,
            Ssrc = ssrc,
            StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(UtcBase / 1000),
        };

    private static int Header(byte[] buffer, byte payloadType, bool marker, ushort sequence, uint timestamp, uint ssrc) =>
        RtpHeaderWriter.Write(buffer, marker, payloadType, sequence, timestamp, ssrc);

    // RFC 5905 §6: seconds since 1900 in the high 32 bits, the fraction in the low 32.
    private static ulong Ntp(long unixMicros)
    {
        ulong seconds = (ulong)(unixMicros / 1_000_000) + NtpEpochOffset;
        ulong fraction = (ulong)(unixMicros % 1_000_000) * (1UL << 32) / 1_000_000;
        return (seconds << 32) | fraction;
    }
}
