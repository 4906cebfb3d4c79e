using MediaRelay.Rtp.Codecs;

namespace MediaRelay.Sfu.Tests;

/// <summary>
/// Redundant audio (RFC 2198): passed on to subscribers that negotiated RED, with their payload type numbers in the
/// RTP header and in every block header; unwrapped to the primary Opus frame for subscribers without RED.
/// </summary>
public sealed class RedForwardingTests
{
    private const byte PublisherRed = 63;
    private const byte PublisherOpus = 111;

    [Fact]
    public void Red_is_forwarded_renumbered_or_unwrapped_per_subscriber()
    {
        var feedback = new RecordingPublisherFeedback();
        var producer = new Producer("mic", "alice", MediaKind.Audio, TrackSource.Microphone, "0", TestMedia.Opus,
            MediaPackets.PublisherAudioSsrc, feedback) { RedPayloadType = PublisherRed };
        var router = new Router();
        router.AddProducer(producer);
        var sameNumbers = new RecordingEgress();
        var otherNumbers = new RecordingEgress();
        var noRed = new RecordingEgress();
        router.CreateConsumer(producer, "a", "bob", sameNumbers, 1, PublisherOpus, 0, 0, redPayloadType: PublisherRed);
        router.CreateConsumer(producer, "b", "carol", otherNumbers, 2, 101, 0, 0, redPayloadType: 100);
        router.CreateConsumer(producer, "c", "werift", noRed, 3, 109, 0, 0);

        byte[] previous = [0xA1, 0xA2, 0xA3];
        byte[] current = [0xB1, 0xB2, 0xB3, 0xB4];
        byte[] red = new byte[64];
        var writer = new RedPayloadWriter(red, redundantCount: 1);
        Assert.True(writer.TryAddRedundant(PublisherOpus, 960, previous));
        Assert.True(writer.TryWritePrimary(PublisherOpus, current, out int redLength));
        byte[] packet = MediaPackets.Build(false, PublisherRed, 10, 48_000, MediaPackets.PublisherAudioSsrc,
            red.AsSpan(0, redLength), true, 0);
        producer.Deliver(packet, TestMedia.T0);

        SentPacket same = TestMedia.Read(Assert.Single(sameNumbers.Rtp));
        Assert.Equal(PublisherRed, same.PayloadType);
        Assert.Equal(red.AsSpan(0, redLength).ToArray(), same.Payload);

        SentPacket other = TestMedia.Read(Assert.Single(otherNumbers.Rtp));
        Assert.Equal(100, other.PayloadType);
        Assert.True(RedPayload.TryParse(other.Payload, out RedPayload renumbered));
        foreach (RedBlock block in renumbered)
        {
            Assert.Equal(101, block.PayloadType);
        }
        Assert.Equal(current, renumbered.Primary.Data.ToArray());

        SentPacket plain = TestMedia.Read(Assert.Single(noRed.Rtp));
        Assert.Equal(109, plain.PayloadType);
        Assert.Equal(current, plain.Payload);
    }
}
