using System.Diagnostics;
using MediaRelay.Server.Diagnostics;
using MediaRelay.Server.Media;
using MediaRelay.Sfu;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaRelay.Server.Tests;

/// <summary>
/// Well-formed RTCP from Bob naming SSRCs that are not his: keyframe requests (RFC 4585 §6.3.1 PLI, RFC 5104
/// §4.3.1 FIR) and sender reports (RFC 3550 §6.4.1) are counted as rtcp_unknown_ssrc and reach no producer;
/// report blocks about streams we do not send are not errors (a browser reports on everything it receives).
/// </summary>
[Collection(MediaMetricsCollection.Name)]
public class RtcpUnknownSsrcTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private static readonly BadInputLog Log = new(NullLogger<BadInputLog>.Instance);
    private readonly RunningHost _host = fixture.Host;

    public enum Stranger
    {
        Random,
        Zero,
        AlicesOwnVideoSsrc,   // the publisher's SSRC, not the SSRC Bob's consumer sends with
        BobsOwnProducer,      // a producer of this very peer is no consumer of it
        CarolsConsumer,       // another subscriber's consumer of the same producer
        BobsAudioConsumer,    // audio: a consumer, but a keyframe request is meaningless (accepted, no effect)
    }

    [Theory]
    [InlineData(Stranger.Random)]
    [InlineData(Stranger.Zero)]
    [InlineData(Stranger.AlicesOwnVideoSsrc)]
    [InlineData(Stranger.BobsOwnProducer)]
    [InlineData(Stranger.CarolsConsumer)]
    public void Pli_naming_no_consumer_of_this_peer_is_counted_and_reaches_no_publisher(Stranger who)
    {
        var room = MultiPartyRoom.Create(_host);
        long[] throttled = [.. room.Producers.Select(p => p.KeyFrameRequestsThrottled)];
        var drops = new RtcpDrops();

        PeerRtcpReader.Handle(room.Bob.Peer, RtcpBytes.Pli(SsrcOf(who, room)), Stopwatch.GetTimestamp(), Log);

        Assert.Equal((0d, 1d), drops.Delta);
        Assert.Empty(room.TakeKeyFrameRequests());
        Assert.Equal(throttled, room.Producers.Select(p => p.KeyFrameRequestsThrottled));
    }

    [Fact]
    public void Pli_about_an_audio_consumer_is_no_error_and_asks_nothing()
    {
        var room = MultiPartyRoom.Create(_host);
        var drops = new RtcpDrops();

        PeerRtcpReader.Handle(room.Bob.Peer, RtcpBytes.Pli(SsrcOf(Stranger.BobsAudioConsumer, room)), Stopwatch.GetTimestamp(), Log);

        Assert.Equal((0d, 0d), drops.Delta);
        Assert.Empty(room.TakeKeyFrameRequests());
    }

    [Fact]
    public void Fir_entries_count_the_unknown_ones_and_serve_the_known_one()
    {
        var room = MultiPartyRoom.Create(_host);
        byte[] fir = RtcpBytes.Fir(0xDEADBEEF, room.BobOfAliceVideo.Ssrc, room.CarolOfBobVideo.Ssrc, MultiPartyRoom.AliceVideoSsrc);
        var drops = new RtcpDrops();

        PeerRtcpReader.Handle(room.Bob.Peer, fir, Stopwatch.GetTimestamp(), Log);

        Assert.Equal((0d, 3d), drops.Delta);
        Assert.Equal([room.AliceVideo], room.TakeKeyFrameRequests());
    }

    [Fact]
    public void Carol_still_gets_keyframes_after_bobs_stray_requests()
    {
        var room = MultiPartyRoom.Create(_host);
        PeerRtcpReader.Handle(room.Bob.Peer, RtcpBytes.Pli(room.CarolOfBobVideo.Ssrc), Stopwatch.GetTimestamp(), Log);
        PeerRtcpReader.Handle(room.Bob.Peer, RtcpBytes.Compound(RtcpBytes.Pli(room.CarolOfAliceVideo.Ssrc), [1, 2, 3]),
            Stopwatch.GetTimestamp(), Log);
        Assert.Empty(room.TakeKeyFrameRequests());
        var drops = new RtcpDrops();

        PeerRtcpReader.Handle(room.Carol.Peer, RtcpBytes.Pli(room.CarolOfBobVideo.Ssrc), Stopwatch.GetTimestamp(), Log);

        Assert.Equal((0d, 0d), drops.Delta);
        Assert.Equal([room.BobVideo], room.TakeKeyFrameRequests());
    }

    [Fact]
    public void Pli_for_a_consumer_whose_producer_closed_is_counted_and_reaches_nobody()
    {
        var room = MultiPartyRoom.Create(_host);
        room.Room.CloseProducer(room.AliceVideo);
        var drops = new RtcpDrops();

        PeerRtcpReader.Handle(room.Bob.Peer, RtcpBytes.Pli(room.BobOfAliceVideo.Ssrc), Stopwatch.GetTimestamp(), Log);

        Assert.Equal((0d, 1d), drops.Delta);
        Assert.Empty(room.TakeKeyFrameRequests());
        Assert.Equal([room.BobOfAliceAudio], room.Bob.Peer.Media.Consumers);
        Assert.Equal([room.CarolOfBobVideo], room.Carol.Peer.Media.Consumers);
    }

    [Theory]
    [InlineData(0xDEADBEEFu)]
    [InlineData(MultiPartyRoom.AliceVideoSsrc)] // another peer's publication
    [InlineData(0u)]
    public void Sender_report_from_an_ssrc_this_peer_does_not_publish_is_counted(uint sender)
    {
        var room = MultiPartyRoom.Create(_host);
        byte[] sr = RtcpBytes.SenderReport(sender, room.BobOfAliceVideo.Ssrc);
        var drops = new RtcpDrops();

        PeerRtcpReader.Handle(room.Bob.Peer, sr, Stopwatch.GetTimestamp(), Log);

        Assert.Equal((0d, 1d), drops.Delta);
        Assert.All(room.Producers, p => Assert.False(p.Layers[0].Statistics.HasSenderReport));
    }

    [Fact]
    public void Sender_report_about_streams_we_do_not_send_is_no_error()
    {
        var room = MultiPartyRoom.Create(_host);
        byte[] sr = RtcpBytes.SenderReport(MultiPartyRoom.BobAudioSsrc, 0xDEADBEEF, MultiPartyRoom.AliceVideoSsrc,
            room.CarolOfAliceVideo.Ssrc);
        var drops = new RtcpDrops();

        PeerRtcpReader.Handle(room.Bob.Peer, sr, Stopwatch.GetTimestamp(), Log);

        Assert.Equal((0d, 0d), drops.Delta);
        Assert.True(room.BobAudio.Layers[0].Statistics.HasSenderReport);
        Assert.False(room.BobVideo.Layers[0].Statistics.HasSenderReport);
    }

    [Fact]
    public void Receiver_report_blocks_about_unknown_ssrcs_are_not_errors()
    {
        var room = MultiPartyRoom.Create(_host);
        byte[] rr = RtcpBytes.Compound(
            RtcpBytes.ReceiverReport(0xDEADBEEF, 0, MultiPartyRoom.AliceVideoSsrc, MultiPartyRoom.BobVideoSsrc,
                room.CarolOfAliceVideo.Ssrc, room.BobOfAliceVideo.Ssrc),
            RtcpBytes.ReceiverReport(),
            RtcpBytes.ReceiverReport(0x12345678));
        var drops = new RtcpDrops();

        PeerRtcpReader.Handle(room.Bob.Peer, rr, Stopwatch.GetTimestamp(), Log);

        Assert.Equal((0d, 0d), drops.Delta);
        Assert.Empty(room.TakeKeyFrameRequests());
        Assert.All([room.BobOfAliceVideo, room.CarolOfAliceVideo, room.CarolOfBobVideo],
            c => Assert.False(c.SendStatistics.HasRoundTrip));
    }

    private static uint SsrcOf(Stranger who, MultiPartyRoom room) => who switch
    {
        Stranger.Random => 0xDEADBEEF,
        Stranger.Zero => 0,
        Stranger.AlicesOwnVideoSsrc => MultiPartyRoom.AliceVideoSsrc,
        Stranger.BobsOwnProducer => MultiPartyRoom.BobVideoSsrc,
        Stranger.CarolsConsumer => room.CarolOfAliceVideo.Ssrc,
        Stranger.BobsAudioConsumer => room.BobOfAliceAudio.Ssrc,
        _ => throw new ArgumentOutOfRangeException(nameof(who)),
    };
}
