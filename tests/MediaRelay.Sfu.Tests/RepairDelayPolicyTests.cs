using MediaRelay.Rtp;
using MediaRelay.Rtp.Rtcp;

namespace MediaRelay.Sfu.Tests;

/// <summary>
/// The playout delay a subscriber's receiver is asked for: none on clean or short links; on a leg that needed repairs
/// in the last 5 s, 1.25 × that leg's round trip + 40 ms, at most 600 ms; and it is carried by every video packet.
/// </summary>
public sealed class RepairDelayPolicyTests
{
    private const int PlayoutDelayId = 12;
    private readonly RecordingPublisherFeedback _feedback = new();
    private readonly Producer _producer;
    private readonly Consumer _consumer;
    private readonly PlayoutDelayEgress _egress = new();
    private long _now = TestMedia.T0;

    public RepairDelayPolicyTests()
    {
        _producer = TestMedia.VideoProducer(_feedback);
        var router = new Router();
        router.AddProducer(_producer);
        _consumer = router.CreateConsumer(_producer, "c", "bob", _egress, 0xC0FFEE, 100, 1, 0);
        _producer.Deliver(MediaPackets.Vp8KeyFrame(100, 0), _now);
    }

    [Fact]
    public void Clean_links_get_no_hint()
    {
        _producer.OnTick(_now, TimeSpan.FromMilliseconds(250));
        Assert.Equal(0, RepairDelayPolicy.Choose(_consumer, _now));
    }

    [Fact]
    public void A_lossy_publisher_leg_asks_for_its_round_trip_plus_slack_until_5_s_without_repairs()
    {
        LoseOnPublisherLeg(TimeSpan.FromMilliseconds(250));
        Assert.NotEmpty(_feedback.Nacks);
        Assert.Equal(352, RepairDelayPolicy.Choose(_consumer, _now)); // 1.25 × 250 + 40, truncated

        Assert.Equal(352, RepairDelayPolicy.Choose(_consumer, _now + TestMedia.Milliseconds(4_900)));
        Assert.Equal(0, RepairDelayPolicy.Choose(_consumer, _now + TestMedia.Milliseconds(5_100)));
    }

    [Fact]
    public void Short_links_and_very_long_ones_are_bounded()
    {
        LoseOnPublisherLeg(TimeSpan.FromMilliseconds(60));
        Assert.Equal(0, RepairDelayPolicy.Choose(_consumer, _now)); // 115 ms: the receiver's own buffer copes
        LoseOnPublisherLeg(TimeSpan.FromMilliseconds(900));
        Assert.Equal(RepairDelayPolicy.MaxMilliseconds, RepairDelayPolicy.Choose(_consumer, _now));
    }

    [Fact]
    public void A_lossy_subscriber_leg_uses_the_round_trip_its_receiver_reports_reveal()
    {
        // RFC 3550 §6.4.1: our SR at t, its RR echoing it with DLSR 0 arriving 300 ms later → RTT 300 ms.
        ulong ntp = NtpTime.FromDateTime(new DateTime(2026, 11, 23, 4, 0, 0, DateTimeKind.Utc));
        Assert.True(_consumer.SendStatistics.WriteSenderReport(new byte[256], _consumer.Ssrc, ntp, _now, 90000, "x"u8) > 0);
        var block = new RtcpReportBlock(_consumer.Ssrc, 0, 0, 0, 0, NtpTime.ToCompact(ntp), 0);
        Assert.True(_consumer.SendStatistics.TryComputeRoundTrip(block, ntp + (ulong)(0.3 * (1UL << 32)), out _));

        Span<byte> wire = stackalloc byte[RtcpNack.GetMaxLength(1)];
        int length = RtcpNack.Write(wire, 1, _consumer.Ssrc, [1]);
        Assert.True(RtcpNack.TryParse(wire[..length], out RtcpNack nack));
        _consumer.OnNack(nack, _now);

        Assert.InRange(RepairDelayPolicy.Choose(_consumer, _now), 412, 416); // 1.25 × 300 + 40
    }

    [Fact]
    public void Every_video_packet_carries_the_chosen_minimum()
    {
        _consumer.SetPlayoutDelay(350);
        _producer.Deliver(MediaPackets.Vp8Delta(101, 3000), _now);
        Assert.True(RtpPacket.TryParse(_egress.Last, out RtpPacket view));
        Assert.True(view.TryGetExtension(PlayoutDelayId, out ReadOnlySpan<byte> bounds));
        Assert.True(PlayoutDelay.TryRead(bounds, out int min, out int max));
        Assert.Equal((350, 10_000), (min, max));
    }

    /// <summary>Packets 200, 201, 203 arrive: the tick NACKs 202, at the given publisher round trip.</summary>
    private void LoseOnPublisherLeg(TimeSpan roundTrip)
    {
        ushort first = (ushort)(200 + _feedback.Nacks.Count * 10);
        _producer.Deliver(MediaPackets.Vp8Delta(first, 3000), _now);
        _producer.Deliver(MediaPackets.Vp8Delta((ushort)(first + 1), 6000), _now);
        _producer.Deliver(MediaPackets.Vp8Delta((ushort)(first + 3), 9000), _now);
        _now += TestMedia.Milliseconds(30);
        _producer.OnTick(_now, roundTrip);
    }

    private sealed class PlayoutDelayEgress : IRtpEgress
    {
        public byte[] Last { get; private set; } = [];
        public int PlayoutDelayExtensionId => PlayoutDelayId;

        public bool SendRtp(byte[] buffer, int length)
        {
            Last = buffer.AsSpan(0, length).ToArray();
            return true;
        }

        public bool SendRtcp(byte[] buffer, int length) => true;
    }
}
