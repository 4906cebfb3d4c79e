namespace MediaRelay.Sdp.Tests;

public class SessionDescriptionRoundTripTests
{
    public static TheoryData<string> Files => new(SdpSamples.AllFiles);

    [Theory]
    [MemberData(nameof(Files))]
    public void Canonical_input_is_written_back_byte_for_byte(string file)
    {
        string input = SdpSamples.ReadCrlf(file);

        string written = SessionDescription.Parse(input).ToString();

        Assert.Equal(input, written);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Lf_only_input_parses_and_is_written_with_crlf(string file)
    {
        string lf = SdpSamples.ReadLf(file);
        Assert.DoesNotContain('\r', lf);

        string written = SessionDescription.Parse(lf).ToString();

        Assert.Equal(SdpSamples.ReadCrlf(file), written);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Parse_write_parse_gives_an_equal_model(string file)
    {
        SessionDescription first = SessionDescription.Parse(SdpSamples.ReadCrlf(file));
        SessionDescription second = SessionDescription.Parse(first.ToString());

        Assert.Equal(first.Origin.ToString(), second.Origin.ToString());
        Assert.Equal(first.SessionName, second.SessionName);
        Assert.Equal(first.Connection, second.Connection);
        Assert.Equal(first.Bandwidths, second.Bandwidths);
        Assert.Equal(first.Attributes, second.Attributes);
        Assert.Equal(first.Media.Count, second.Media.Count);
        for (int i = 0; i < first.Media.Count; i++)
        {
            MediaDescription a = first.Media[i];
            MediaDescription b = second.Media[i];
            Assert.Equal((a.Kind, a.Port, a.PortCount, a.Protocol), (b.Kind, b.Port, b.PortCount, b.Protocol));
            Assert.Equal(a.Formats, b.Formats);
            Assert.Equal(a.Connection, b.Connection);
            Assert.Equal(a.Bandwidths, b.Bandwidths);
            Assert.Equal(a.Attributes, b.Attributes);
        }
    }

    [Fact]
    public void Rfc8866_example_fields_are_read()
    {
        SessionDescription sdp = SessionDescription.Parse(SdpSamples.Rfc8866Example);

        Assert.Equal(0, sdp.Version);
        Assert.Equal("jdoe", sdp.Origin.Username);
        Assert.Equal("3724394400", sdp.Origin.SessionId);
        Assert.Equal(3724394405UL, sdp.Origin.SessionVersion);
        Assert.Equal(("IN", "IP4", "198.51.100.1"), (sdp.Origin.NetType, sdp.Origin.AddressType, sdp.Origin.Address));
        Assert.Equal("Call to John Smith", sdp.SessionName);
        Assert.Equal("SDP Offer #1", sdp.SessionInformation);
        Assert.Equal("http://www.jdoe.example.com/home.html", sdp.Uri);
        Assert.Equal(["Jane Doe <jane@jdoe.example.com>"], sdp.Emails);
        Assert.Equal(["+1 617 555-6011"], sdp.Phones);
        Assert.Equal(new SdpConnection("IN", "IP4", "198.51.100.1"), sdp.Connection);
        Assert.Equal((0UL, 0UL), (sdp.Timing.StartTime, sdp.Timing.StopTime));
        Assert.Equal(3, sdp.Media.Count);

        MediaDescription video = sdp.Media[2];
        Assert.Equal(("video", 51372, "RTP/AVP"), (video.Kind, video.Port, video.Protocol));
        Assert.Equal(new SdpConnection("IN", "IP6", "2001:db8::2"), video.Connection);
        Assert.Equal(new SdpConnection("IN", "IP4", "198.51.100.1"), sdp.GetConnection(sdp.Media[0]));
        SdpRtpMap h263 = Assert.Single(video.GetRtpMaps());
        Assert.Equal((99, "h263-1998", 90000), (h263.PayloadType, h263.EncodingName, h263.ClockRate));

        // Static payload type 0 has no a=rtpmap: RFC 3551 fills it in.
        SdpRtpMap pcmu = Assert.Single(sdp.Media[0].GetRtpMaps());
        Assert.Equal((0, "PCMU", 8000, (int?)null), (pcmu.PayloadType, pcmu.EncodingName, pcmu.ClockRate, pcmu.Channels));
    }

    [Fact]
    public void Writer_puts_fields_in_rfc8866_order_whatever_the_input_order()
    {
        const string shuffled = "v=0\na=tool:x\nt=0 0\nb=AS:10\nc=IN IP4 192.0.2.1\ns=-\no=- 1 1 IN IP4 192.0.2.1\n"
            + "m=audio 5004 RTP/AVP 0\na=sendonly\nb=AS:64\nc=IN IP4 192.0.2.2\ni=title\n";

        string written = SessionDescription.Parse(shuffled).ToString();

        Assert.Equal(
            "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nb=AS:10\r\nt=0 0\r\na=tool:x\r\n"
            + "m=audio 5004 RTP/AVP 0\r\ni=title\r\nc=IN IP4 192.0.2.2\r\nb=AS:64\r\na=sendonly\r\n",
            written);
    }

    [Fact]
    public void Repeat_times_zones_multiple_timings_and_port_counts_round_trip()
    {
        const string text = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns= \r\nt=3724394400 3724398000\r\nr=7d 1h 0 25h\r\n"
            + "t=3724480800 3724484400\r\nz=2882844526 -1h 2898848070 0\r\nk=prompt\r\na=recvonly\r\n"
            + "m=video 49170/2 RTP/AVP 31\r\nk=clear:x\r\na=flag\r\na=empty:\r\n";

        SessionDescription sdp = SessionDescription.Parse(text);

        Assert.Equal(text, sdp.ToString());
        Assert.Equal(" ", sdp.SessionName);
        Assert.Equal(2, sdp.Timings.Count);
        Assert.Equal(["7d 1h 0 25h"], sdp.Timings[0].Repeats);
        Assert.Equal(2, sdp.Media[0].PortCount);
        Assert.Null(sdp.Media[0].Attributes[0].Value);
        Assert.Equal(string.Empty, sdp.Media[0].Attributes[1].Value);
        Assert.Equal(SdpDirection.RecvOnly, sdp.GetDirection(sdp.Media[0]));
        Assert.Equal(SdpDirection.SendRecv, sdp.Media[0].Direction);
    }

    [Fact]
    public void A_new_model_writes_a_minimal_valid_description()
    {
        var sdp = new SessionDescription();
        sdp.Origin.SessionId = "42";
        var audio = new MediaDescription("audio", 9, "UDP/TLS/RTP/SAVPF") { Connection = SdpConnection.ForAddress("0.0.0.0") };
        audio.Mid = "0";
        audio.AddRtpMap(new SdpRtpMap(111, "opus", 48000, 2, "minptime=10;useinbandfec=1") { RtcpFeedback = { "transport-cc" } });
        audio.Direction = SdpDirection.RecvOnly;
        audio.RtcpMux = true;
        sdp.Media.Add(audio);
        sdp.AddGroup(new SdpGroup(SdpGroup.Bundle, ["0"]));

        Assert.Equal(
            "v=0\r\no=- 42 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=rtpmap:111 opus/48000/2\r\n"
            + "a=rtcp-fb:111 transport-cc\r\na=fmtp:111 minptime=10;useinbandfec=1\r\na=recvonly\r\na=rtcp-mux\r\n",
            sdp.ToString());
    }

    [Fact]
    public void Writer_refuses_values_that_would_inject_lines()
    {
        var sdp = new SessionDescription { SessionName = "x\r\na=evil" };

        Assert.Throws<InvalidOperationException>(() => sdp.ToString());
        Assert.Throws<ArgumentException>(() => new SdpAttribute("x", "a\nb"));
        Assert.Throws<ArgumentException>(() => new SdpAttribute("bad name"));
    }
}
