using MediaRelay.Sdp;
using MediaRelay.Server.Negotiation;
using MediaRelay.Server.Rooms;
using MediaRelay.Sfu;

namespace MediaRelay.Server.Tests;

/// <summary>
/// Simulcast offers (RFC 8853 §5.1 a=simulcast, RFC 8851 a=rid) that ask for more than we take, or name streams
/// they do not declare: the answer keeps at most <see cref="Producer.MaxLayers"/> declared, unpaused, distinct
/// rids in the offerer's order (RFC 8853 §5.3), and the committed producer has exactly those layers.
/// </summary>
public class SimulcastOfferTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private static readonly Dictionary<string, string> None = [];
    private readonly RunningHost _host = fixture.Host;

    [Fact]
    public void Five_rids_are_answered_with_the_first_three()
    {
        (MediaDescription video, Producer producer, OfferResult result) = Publish(["a", "b", "c", "d", "e"], "a;b;c;d;e");

        AssertSimulcastAnswer(video, "a", "b", "c");
        Assert.Equal(["a", "b", "c"], producer.Layers.Select(l => l.Rid));
        Assert.Equal(10, result.Extensions.Rid);
        Assert.Contains(video.GetExtMaps(), e => e.Id == 10 && e.Uri == SdpExtMap.RtpStreamIdUri);
    }

    [Fact]
    public void Stream_without_an_a_rid_line_is_skipped()
    {
        (MediaDescription video, Producer producer, _) = Publish(["q", "f"], "q;h;f");

        AssertSimulcastAnswer(video, "q", "f");
        Assert.Equal(["q", "f"], producer.Layers.Select(l => l.Rid));
    }

    [Fact]
    public void Rid_declared_for_the_wrong_direction_is_skipped()
    {
        string offer = new ChromiumLikeOffer().SimulcastVideo("0", ["q", "f"], "q;h;f").ToString()
            .Replace("a=simulcast:send", "a=rid:h recv\r\na=simulcast:send", StringComparison.Ordinal);
        (MediaDescription video, Producer producer, _) = Publish(offer);

        AssertSimulcastAnswer(video, "q", "f");
        Assert.Equal(["q", "f"], producer.Layers.Select(l => l.Rid));
    }

    [Fact]
    public void Repeated_rids_are_taken_once()
    {
        (MediaDescription video, Producer producer, _) = Publish(["q", "h", "f"], "q;q;h;h,q;f;f");

        AssertSimulcastAnswer(video, "q", "h", "f");
        Assert.Equal(["q", "h", "f"], producer.Layers.Select(l => l.Rid));
    }

    [Fact]
    public void Repeated_rids_do_not_use_up_the_three_layers()
    {
        (MediaDescription video, _, _) = Publish(["q", "h", "f"], "q;q;q;h;f");

        AssertSimulcastAnswer(video, "q", "h", "f");
    }

    [Fact]
    public void Paused_rid_gives_way_to_its_first_unpaused_alternative()
    {
        (MediaDescription video, Producer producer, _) = Publish(["q", "q2", "h", "f"], "~q,q2;~h;f");

        AssertSimulcastAnswer(video, "q2", "f");
        Assert.Equal(["q2", "f"], producer.Layers.Select(l => l.Rid));
    }

    [Theory]
    [InlineData("q;x")]     // x has no a=rid line
    [InlineData("q;~h")]    // h paused
    [InlineData("q;q")]     // the same stream twice
    [InlineData("q")]       // one stream is not simulcast
    public void Only_one_usable_rid_makes_a_plain_producer(string simulcast)
    {
        (MediaDescription video, Producer producer, OfferResult result) = Publish(["q", "h"], simulcast);

        Assert.Equal(SdpDirection.RecvOnly, video.Direction);
        Assert.Empty(video.GetRids());
        Assert.Null(video.Simulcast);
        Assert.DoesNotContain(video.GetExtMaps(), e => e.Uri == SdpExtMap.RtpStreamIdUri);
        Assert.Equal(0, result.Extensions.Rid);
        Assert.False(producer.IsSimulcast);
        ProducerLayer layer = Assert.Single(producer.Layers);
        Assert.Null(layer.Rid);
        Assert.Equal(0u, layer.Ssrc); // learned from the MID extension later
    }

    [Fact]
    public void Rids_listed_high_to_low_are_trusted_in_the_answered_order_not_reordered()
    {
        // The server does not look at a=rid restrictions or resolutions: layer 0 is whatever the offer listed
        // first. A page that lists "f;h;q" gets layers [f, h, q], and the consumer's "lowest first" assumption is
        // then inverted for that producer (widths learned from keyframes still steer the layer choice).
        (MediaDescription video, Producer producer, _) = Publish(["f", "h", "q"], "f;h;q");

        AssertSimulcastAnswer(video, "f", "h", "q");
        Assert.Equal(["f", "h", "q"], producer.Layers.Select(l => l.Rid));
        Assert.Equal([0, 1, 2], producer.Layers.Select(l => l.Index));
    }

    [Fact]
    public void Simulcast_on_an_audio_section_is_ignored()
    {
        string offer = new ChromiumLikeOffer().Audio("0", "sendonly", ssrc: 4242).ToString()
            + "a=rid:q send\r\na=rid:h send\r\na=simulcast:send q;h\r\n";
        (MediaDescription audio, Producer producer, _) = Publish(offer);

        Assert.Empty(audio.GetRids());
        Assert.Null(audio.Simulcast);
        Assert.Equal(4242u, Assert.Single(producer.Layers).Ssrc);
    }

    [Fact]
    public void Unchanged_simulcast_reoffer_keeps_the_producer_and_a_changed_one_replaces_it()
    {
        ConsultationRoom room = NewRoom();
        Participant alice = _host.Join(room, "Alice");
        string offer = new ChromiumLikeOffer().SimulcastVideo("0", ["q", "h", "f"], "q;h;f").ToString();
        OfferResult first = _host.Answerer.Answer(alice, offer, None, None);
        _host.Answerer.Commit(alice, first);
        Producer original = Assert.Single(room.Router.Producers);

        OfferResult same = _host.Answerer.Answer(alice, offer, None, None);
        Assert.Empty(same.NewProducers);
        Assert.Empty(same.ClosedProducers);

        string fewer = new ChromiumLikeOffer().SimulcastVideo("0", ["q", "h", "f"], "q;~h;f").ToString();
        OfferResult changed = _host.Answerer.Answer(alice, fewer, None, None);
        _host.Answerer.Commit(alice, changed);
        Assert.Equal([original], changed.ClosedProducers);
        Assert.True(original.IsClosed);
        Assert.Equal(["q", "f"], Assert.Single(room.Router.Producers).Layers.Select(l => l.Rid));
    }

    private static void AssertSimulcastAnswer(MediaDescription video, params string[] rids)
    {
        Assert.Equal(SdpDirection.RecvOnly, video.Direction);
        Assert.Equal(rids.Select(r => new SdpRid(r, SdpRidDirection.Recv)), video.GetRids());
        SdpSimulcast simulcast = Assert.IsType<SdpSimulcast>(video.Simulcast);
        Assert.Empty(simulcast.Send);
        Assert.Equal(rids, simulcast.Recv.Select(stream => Assert.Single(stream)).Select(s => s.ToString()));
        Assert.Equal(rids.Length, video.Attributes.Count(a => a.Name == "rid"));
    }

    private (MediaDescription Section, Producer Producer, OfferResult Result) Publish(string[] ridLines, string simulcast) =>
        Publish(new ChromiumLikeOffer().SimulcastVideo("0", ridLines, simulcast).ToString());

    /// <summary>Answers and commits a one-section publishing offer in a fresh room.</summary>
    private (MediaDescription Section, Producer Producer, OfferResult Result) Publish(string offer)
    {
        ConsultationRoom room = NewRoom();
        Participant alice = _host.Join(room, "Alice");
        OfferResult result = _host.Answerer.Answer(alice, offer, None, None);
        Assert.Null(result.Error);
        MediaDescription section = Assert.Single(AnswerAssert.Parse(result.AnswerSdp).Media);
        AnswerAssert.AcceptedTransport(_host, alice, section);
        _host.Answerer.Commit(alice, result);
        Producer producer = Assert.Single(room.Router.Producers);
        Assert.Same(producer, alice.Peer.Media.FindProducerByMid("0"));
        return (section, producer, result);
    }

    private ConsultationRoom NewRoom() => _host.Rooms.GetOrCreate("sc-" + Guid.NewGuid().ToString("N")[..8]);
}
