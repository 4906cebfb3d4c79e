using System.Buffers.Binary;
using System.Diagnostics;
using MediaRelay.Server.Diagnostics;
using MediaRelay.Server.Media;
using MediaRelay.Sfu;
using MediaRelay.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaRelay.Server.Tests;

/// <summary>
/// Malformed RTCP compound packets (RFC 3550 §6.1, validity checks of §A.2) arriving from Bob, who both publishes
/// and subscribes in a three-party room: each is counted once as rtcp_malformed, never throws, and moves nothing
/// in the room; the valid packets in front of the bad one still take effect.
/// </summary>
[Collection(MediaMetricsCollection.Name)]
public class RtcpBadInputTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private static readonly BadInputLog Log = new(NullLogger<BadInputLog>.Instance);
    private readonly RunningHost _host = fixture.Host;

    [Theory]
    [InlineData("length past the end")]
    [InlineData("empty datagram")]
    [InlineData("truncated header")]
    [InlineData("version 1")]
    [InlineData("version 0")]
    [InlineData("psfb of 8 bytes")]
    [InlineData("sender report of 24 bytes")]
    [InlineData("sender report missing its report block")]
    [InlineData("receiver report missing its report block")]
    [InlineData("padding count 0")]
    [InlineData("padding longer than the packet")]
    public void Malformed_compound_is_counted_once_and_changes_nothing(string kind)
    {
        var room = MultiPartyRoom.Create(_host);
        byte[] bad = Malformed(kind, room);
        var drops = new RtcpDrops();

        PeerRtcpReader.Handle(room.Bob.Peer, bad, Stopwatch.GetTimestamp(), Log);

        Assert.Equal((1d, 0d), drops.Delta);
        Assert.Empty(room.TakeKeyFrameRequests());
        Assert.All(room.Producers, p => Assert.False(p.Layers[0].Statistics.HasSenderReport));
    }

    [Fact]
    public void Pli_followed_by_garbage_still_asks_the_publisher_for_a_keyframe()
    {
        var room = MultiPartyRoom.Create(_host);
        long throttled = room.AliceVideo.KeyFrameRequestsThrottled;
        byte[] compound = RtcpBytes.Compound(RtcpBytes.Pli(room.BobOfAliceVideo.Ssrc), [0x12, 0x34, 0x56, 0x78, 0x9A]);
        var drops = new RtcpDrops();

        PeerRtcpReader.Handle(room.Bob.Peer, compound, Stopwatch.GetTimestamp(), Log);

        Assert.Equal((1d, 0d), drops.Delta);
        Assert.Equal([room.AliceVideo], room.TakeKeyFrameRequests());
        Assert.Equal(throttled, room.AliceVideo.KeyFrameRequestsThrottled);
    }

    [Fact]
    public void Second_pli_merges_into_the_pending_request()
    {
        var room = MultiPartyRoom.Create(_host);
        long throttled = room.AliceVideo.KeyFrameRequestsThrottled;
        byte[] pli = RtcpBytes.Pli(room.BobOfAliceVideo.Ssrc);
        byte[] compound = RtcpBytes.Compound(pli, pli, [0x80, 206, 0x00, 0x09]); // third: length past the end
        var drops = new RtcpDrops();

        PeerRtcpReader.Handle(room.Bob.Peer, compound, Stopwatch.GetTimestamp(), Log);

        Assert.Equal((1d, 0d), drops.Delta);
        Assert.Equal(throttled + 1, room.AliceVideo.KeyFrameRequestsThrottled);
        Assert.Equal([room.AliceVideo], room.TakeKeyFrameRequests());
    }

    [Fact]
    public void Sender_report_followed_by_a_truncated_receiver_report_still_feeds_our_reports()
    {
        var room = MultiPartyRoom.Create(_host);
        byte[] rr = RtcpBytes.ReceiverReport(room.BobOfAliceVideo.Ssrc);
        byte[] compound = RtcpBytes.Compound(RtcpBytes.SenderReport(MultiPartyRoom.BobVideoSsrc), rr[..^4]);
        var drops = new RtcpDrops();

        PeerRtcpReader.Handle(room.Bob.Peer, compound, Stopwatch.GetTimestamp(), Log);

        Assert.Equal((1d, 0d), drops.Delta);
        Assert.True(room.BobVideo.Layers[0].Statistics.HasSenderReport);
        Assert.False(room.AliceVideo.Layers[0].Statistics.HasSenderReport);
        Assert.False(room.BobAudio.Layers[0].Statistics.HasSenderReport);
    }

    [Fact]
    public void Garbage_in_front_of_a_pli_hides_it_because_the_reader_stops_at_the_first_bad_packet()
    {
        var room = MultiPartyRoom.Create(_host);
        byte[] compound = RtcpBytes.Compound([0x40, 206, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 2], RtcpBytes.Pli(room.BobOfAliceVideo.Ssrc));
        var drops = new RtcpDrops();

        PeerRtcpReader.Handle(room.Bob.Peer, compound, Stopwatch.GetTimestamp(), Log);

        Assert.Equal((1d, 0d), drops.Delta);
        Assert.Empty(room.TakeKeyFrameRequests());
    }

    [Fact]
    public void Fir_with_a_trailing_partial_entry_uses_the_whole_entries_only()
    {
        var room = MultiPartyRoom.Create(_host);
        byte[] fir = RtcpBytes.Fir(room.BobOfAliceVideo.Ssrc);
        // Grow the packet by one word holding half of a second entry that names Carol's consumer.
        byte[] grown = [.. fir, 0, 0, 0, 0];
        BinaryPrimitives.WriteUInt16BigEndian(grown.AsSpan(2), (ushort)((grown.Length / 4) - 1));
        BinaryPrimitives.WriteUInt32BigEndian(grown.AsSpan(fir.Length), room.CarolOfBobVideo.Ssrc);
        var drops = new RtcpDrops();

        PeerRtcpReader.Handle(room.Bob.Peer, grown, Stopwatch.GetTimestamp(), Log);

        Assert.Equal((0d, 0d), drops.Delta);
        Assert.Equal([room.AliceVideo], room.TakeKeyFrameRequests());
    }

    [Fact]
    public void Every_cut_inside_a_packet_is_counted_once_and_cuts_between_packets_are_not()
    {
        var room = MultiPartyRoom.Create(_host);
        byte[][] packets =
        [
            RtcpBytes.SenderReport(MultiPartyRoom.BobVideoSsrc, room.BobOfAliceVideo.Ssrc),
            RtcpBytes.ReceiverReport(room.BobOfAliceAudio.Ssrc, 0xDEADBEEF),
            RtcpBytes.Pli(room.BobOfAliceVideo.Ssrc),
            RtcpBytes.Fir(room.BobOfAliceVideo.Ssrc),
        ];
        byte[] compound = RtcpBytes.Compound(packets);
        var boundaries = new HashSet<int>();
        for (int i = 0, at = 0; i < packets.Length; i++)
        {
            boundaries.Add(at += packets[i].Length);
        }

        for (int cut = 0; cut < compound.Length; cut++)
        {
            var drops = new RtcpDrops();
            PeerRtcpReader.Handle(room.Bob.Peer, compound.AsSpan(0, cut), Stopwatch.GetTimestamp(), Log);
            Assert.True((boundaries.Contains(cut) ? 0d : 1d, 0d) == drops.Delta, $"cut at {cut}: {drops.Delta}");
        }
    }

    [Fact]
    public void Random_and_mutated_compounds_never_throw_and_never_reach_other_rooms()
    {
        var room = MultiPartyRoom.Create(_host);
        var other = MultiPartyRoom.Create(_host);
        byte[] valid = RtcpBytes.Compound(
            RtcpBytes.SenderReport(MultiPartyRoom.BobVideoSsrc, room.BobOfAliceVideo.Ssrc),
            RtcpBytes.ReceiverReport(room.BobOfAliceAudio.Ssrc),
            RtcpBytes.Pli(room.BobOfAliceVideo.Ssrc),
            RtcpBytes.Fir(room.BobOfAliceVideo.Ssrc, 7));
        var random = new Random(20240611);
        var buffer = new byte[valid.Length + 64];
        for (int i = 0; i < 20_000; i++)
        {
            int length;
            if (i % 2 == 0)
            {
                length = random.Next(buffer.Length);
                random.NextBytes(buffer.AsSpan(0, length));
                if (i % 4 == 0 && length > 1)
                {
                    buffer[0] = (byte)(0x80 | (buffer[0] & 0x3F)); // version 2, so the parsers behind the header run
                    buffer[1] = (byte)random.Next(200, 207);
                }
            }
            else
            {
                valid.CopyTo(buffer, 0);
                length = random.Next(valid.Length + 1);
                for (int flips = random.Next(1, 4); flips > 0; flips--)
                {
                    buffer[random.Next(valid.Length)] ^= (byte)(1 << random.Next(8));
                }
            }
            PeerRtcpReader.Handle(room.Bob.Peer, buffer.AsSpan(0, length), Stopwatch.GetTimestamp(), Log);
        }

        Assert.Empty(other.TakeKeyFrameRequests());
        Assert.All(other.Producers, p => Assert.False(p.Layers[0].Statistics.HasSenderReport));
        Assert.DoesNotContain(room.AliceAudio, room.TakeKeyFrameRequests()); // audio never asks for keyframes
    }

    [Fact]
    public void Handling_valid_and_malformed_compounds_allocates_nothing()
    {
        var room = MultiPartyRoom.Create(_host);
        byte[] valid = RtcpBytes.Compound(
            RtcpBytes.SenderReport(MultiPartyRoom.BobVideoSsrc, room.BobOfAliceVideo.Ssrc, 0xDEADBEEF),
            RtcpBytes.ReceiverReport(room.BobOfAliceAudio.Ssrc),
            RtcpBytes.Pli(room.BobOfAliceVideo.Ssrc),
            RtcpBytes.Pli(0xDEADBEEF));
        byte[] malformed = RtcpBytes.Compound(RtcpBytes.Pli(room.BobOfAliceVideo.Ssrc), [0x80, 200, 0x00, 0x04]);
        WebRtcPeer peer = room.Bob.Peer;
        for (int i = 0; i < 1000; i++)
        {
            PeerRtcpReader.Handle(peer, valid, i, Log);
            PeerRtcpReader.Handle(peer, malformed, i, Log);
        }

        long allocated = AllocationMeter.Measure(() =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                PeerRtcpReader.Handle(peer, valid, i, Log);
                PeerRtcpReader.Handle(peer, malformed, i, Log);
            }
        });

        Assert.Equal(0, allocated);
    }

    private static byte[] Malformed(string kind, MultiPartyRoom room)
    {
        byte[] pli = RtcpBytes.Pli(room.BobOfAliceVideo.Ssrc);
        switch (kind)
        {
            case "length past the end":
                pli[3] = 3; // claims 16 bytes, 12 present
                return pli;
            case "empty datagram":
                return [];
            case "truncated header":
                return pli[..3];
            case "version 1":
                pli[0] = (byte)(0x40 | (pli[0] & 0x3F));
                return pli;
            case "version 0":
                pli[0] &= 0x3F;
                return pli;
            case "psfb of 8 bytes":
                // RFC 4585 §6.1: a feedback packet has a media source SSRC; this PLI stops after the sender SSRC.
                byte[] shortPli = pli[..8];
                shortPli[3] = 1;
                return shortPli;
            case "sender report of 24 bytes":
                // RFC 3550 §6.4.1: the sender info alone makes 28 bytes.
                byte[] sr = RtcpBytes.SenderReport(MultiPartyRoom.BobVideoSsrc)[..24];
                sr[3] = 5;
                return sr;
            case "sender report missing its report block":
                byte[] srOne = RtcpBytes.SenderReport(MultiPartyRoom.BobVideoSsrc);
                srOne[0] |= 1; // RC = 1, but no block follows
                return srOne;
            case "receiver report missing its report block":
                byte[] rr = RtcpBytes.ReceiverReport();
                rr[0] |= 2;
                return RtcpBytes.Compound(rr, RtcpBytes.ReceiverReport(room.BobOfAliceAudio.Ssrc)[8..]);
            case "padding count 0":
                pli[0] |= 0x20;
                pli[^1] = 0;
                return pli;
            case "padding longer than the packet":
                pli[0] |= 0x20;
                pli[^1] = 200;
                return pli;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }
}
