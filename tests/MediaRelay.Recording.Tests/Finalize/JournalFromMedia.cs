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

    /// <summary>
    /// Writes audio.mrj and video.mrj into <paramref name="directory"/>; stops cleanly, or "crashes" at <paramref name="crashAtMicros"/>.
    /// Audio damage, to test gap bridging: the Opus packets with media time in [<paramref name="dropAudioFrom"/>,
    /// <paramref name="dropAudioUntil"/>) never arrive (their sequence numbers and timestamps are used up all the same,
    /// as on a network drop); from <paramref name="audioJumpAt"/> on, audio RTP timestamps are <paramref name="audioJumpMicros"/> later
    /// (a sender's timestamp jump: its sender reports keep the old mapping). With <paramref name="red"/> the audio is sent
    /// as browsers send it: each Opus frame inside RFC 2198 redundant audio (payload type 63) with the previous frame
    /// as the redundant block. Video packets before <paramref name="dropVideoBefore"/> never arrive (a camera whose first
    /// key frame comes late: the input has one each second).
    /// </summary>
    public static void Write(string media, string directory, RecordingKey? key, long crashAtMicros = long.MaxValue,
        long dropAudioFrom = long.MaxValue, long dropAudioUntil = long.MaxValue, long audioJumpAt = long.MaxValue, long audioJumpMicros = 0,
        bool red = false, long dropVideoBefore = long.MinValue)
    {
        Directory.CreateDirectory(directory);
        using var demuxer = new MediaDemuxer(media);
        int videoStream = demuxer.Streams.Single(s => s.Kind == MediaKind.Video).Index;
        using TrackJournalWriter video = TrackJournalWriter.Create(Path.Combine(directory, "video.mrj"), Metadata("video", TrackMediaKind.Video, TrackSource.Camera, "VP8", 96, 90000, 0, VideoSsrc), key);
        using TrackJournalWriter audio = TrackJournalWriter.Create(Path.Combine(directory, "audio.mrj"), Metadata("audio", TrackMediaKind.Audio, TrackSource.Microphone, "opus", 111, 48000, 2, AudioSsrc, red ? RedPayloadType : 0), key);
        byte[] previous = [];
        uint previousTimestamp = 0;
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
            if (frame.Stream == videoStream && pts < dropVideoBefore)
            {
                videoSequence += (ushort)((frame.Data.Length + 1099) / 1100);
            }
            else if (frame.Stream == videoStream)
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
            else if (pts >= dropAudioFrom && pts < dropAudioUntil)
            {
                audioSequence++; // lost on the way
            }
            else
            {
                long mediaTime = pts >= audioJumpAt ? pts + audioJumpMicros : pts;
                uint timestamp = (uint)(48_000 * mediaTime / 1_000_000);
                int header = Header(packet, red ? RedPayloadType : (byte)111, false, audioSequence++, timestamp, AudioSsrc);
                int length = red ? WriteRed(packet.AsSpan(header), previous, timestamp - previousTimestamp, frame.Data) : frame.Data.Length;
                previousTimestamp = timestamp;
                if (!red)
                {
                    frame.Data.CopyTo(packet.AsSpan(header));
                }
                previous = frame.Data.ToArray();
                audio.AppendRtpPacket(packet.AsSpan(0, header + length), UtcBase + arrival - ArrivalBase, arrival);
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

    /// <summary>
    /// One simulcast layer of the camera in its own journal, as the server writes them (producer id and layer in the
    /// header, its own SSRC and sender reports on the common NTP clock): the video of <paramref name="media"/>, except
    /// frames in [<paramref name="pauseFrom"/>, <paramref name="pauseUntil"/>) (the encoder paused the layer) and
    /// before <paramref name="startAt"/>.
    /// </summary>
    public static void WriteVideoLayer(string media, string path, uint ssrc, int layer, long startAt = 0,
        long pauseFrom = long.MaxValue, long pauseUntil = long.MaxValue)
    {
        using var demuxer = new MediaDemuxer(media);
        int videoStream = demuxer.Streams.Single(s => s.Kind == MediaKind.Video).Index;
        TrackJournalMetadata metadata = Metadata("video-l" + layer, TrackMediaKind.Video, TrackSource.Camera, "VP8", 96, 90000, 0, ssrc,
            producerId: "camera-1", layer: layer);
        using TrackJournalWriter video = TrackJournalWriter.Create(path, metadata, null);
        byte[] packet = new byte[1500];
        ushort sequence = (ushort)(3000 + (1000 * layer));
        long nextReport = 0;
        var random = new Random(11 + layer);
        while (demuxer.TryRead(out MediaPacket frame))
        {
            long pts = frame.PtsMicroseconds;
            if (frame.Stream != videoStream)
            {
                continue;
            }
            if (pts >= nextReport)
            {
                nextReport += 1_000_000;
                video.AppendSenderReport(ssrc, Ntp(UtcBase + pts), (uint)(90_000 * pts / 1_000_000), UtcBase + pts, ArrivalBase + pts);
            }
            if (pts < startAt || (pts >= pauseFrom && pts < pauseUntil))
            {
                continue; // not sent: a paused layer sends nothing, its sequence numbers included
            }
            long arrival = ArrivalBase + pts + random.Next(0, 3000);
            ReadOnlySpan<byte> data = frame.Data;
            for (int offset = 0; offset < data.Length; offset += 1100)
            {
                int length = Math.Min(1100, data.Length - offset);
                int header = Header(packet, 96, offset + length == data.Length, sequence++, (uint)(90_000 * pts / 1_000_000), ssrc);
                packet[header] = (byte)(offset == 0 ? 0x10 : 0x00); // RFC 7741 §4.2
                data.Slice(offset, length).CopyTo(packet.AsSpan(header + 1));
                video.AppendRtpPacket(packet.AsSpan(0, header + 1 + length), UtcBase + arrival - ArrivalBase, arrival);
            }
            video.MaybeFlush(arrival);
        }
        video.Complete(UtcBase + 3_100_000, ArrivalBase + 3_100_000);
    }

    public const byte RedPayloadType = 63;

    // RFC 2198 §3: a 4-byte header per redundant block (F=1, payload type, 14-bit timestamp offset, 10-bit length),
    // a 1-byte header for the primary block (F=0, payload type), then the blocks' data in the same order.
    private static int WriteRed(Span<byte> payload, ReadOnlySpan<byte> redundant, uint offset, ReadOnlySpan<byte> primary)
    {
        int n = 0;
        if (redundant.Length > 0 && offset is > 0 and < (1 << 14))
        {
            uint word = ((0x80u | 111) << 24) | (offset << 10) | (uint)redundant.Length; // the previous frame
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(payload, word);
            n = 4;
        }
        else
        {
            redundant = [];
        }
        payload[n++] = 111;
        redundant.CopyTo(payload[n..]);
        n += redundant.Length;
        primary.CopyTo(payload[n..]);
        return n + primary.Length;
    }

    private static TrackJournalMetadata Metadata(string track, TrackMediaKind kind, TrackSource source, string codec, int payloadType,
        int clockRate, int channels, uint ssrc, int redPayloadType = 0, string? producerId = null, int layer = 0) => new()
        {
            RedPayloadType = redPayloadType,
            ProducerId = producerId,
            Layer = layer,
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
