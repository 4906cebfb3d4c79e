using System.Diagnostics;
using MediaRelay.Rtp;

namespace MediaRelay.Sfu.Tests;

/// <summary>Producer factories, packet delivery and Stopwatch-tick time steps shared by the tests.</summary>
internal static class TestMedia
{
    public static readonly RtpCodec Vp8 = new(MediaPackets.Vp8PayloadType, "VP8", 90000, 0, null);
    public static readonly RtpCodec Opus = new(MediaPackets.OpusPayloadType, "opus", 48000, 2, "minptime=10;useinbandfec=1");

    /// <summary>A start time far from zero, as Stopwatch.GetTimestamp() would be on a running machine.</summary>
    public static readonly long T0 = 1_000 * Stopwatch.Frequency;

    public static long Milliseconds(long ms) => ms * Stopwatch.Frequency / 1000;

    public static Producer VideoProducer(IPublisherFeedback feedback, uint ssrc = MediaPackets.PublisherVideoSsrc,
        RtpCodec? codec = null, string id = "video") =>
        new(id, "alice", MediaKind.Video, TrackSource.Camera, "1", codec ?? Vp8, ssrc, feedback);

    public static Producer AudioProducer(IPublisherFeedback feedback, uint ssrc = MediaPackets.PublisherAudioSsrc,
        string id = "audio") =>
        new(id, "alice", MediaKind.Audio, TrackSource.Microphone, "0", Opus, ssrc, feedback);

    /// <summary>Parses <paramref name="packet"/> in place and hands it to the producer, as the media loop does.</summary>
    public static void Deliver(this Producer producer, byte[] packet, long time)
    {
        Assert.True(RtpPacket.TryParse(packet, out RtpPacket view));
        producer.OnRtp(view, time);
    }

    /// <summary>The header fields and payload of a sent packet.</summary>
    public static SentPacket Read(byte[] sent)
    {
        Assert.True(RtpPacket.TryParse(sent, out RtpPacket p));
        return new SentPacket(p.Version, p.HasPadding, p.HasExtension, p.CsrcCount, p.Marker, p.PayloadType,
            p.SequenceNumber, p.Timestamp, p.Ssrc, p.HeaderLength, p.Payload.ToArray());
    }

    public static byte[] PayloadOf(byte[] packet)
    {
        Assert.True(RtpPacket.TryParse(packet, out RtpPacket p));
        return p.Payload.ToArray();
    }
}
