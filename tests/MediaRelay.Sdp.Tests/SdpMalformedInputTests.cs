using System.Text;

namespace MediaRelay.Sdp.Tests;

public class SdpMalformedInputTests
{
    private const string Head = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n";

    private static SdpParseException Refused(string sdp)
    {
        SdpParseException ex = Assert.Throws<SdpParseException>(() => SessionDescription.Parse(sdp));
        Assert.False(SessionDescription.TryParse(sdp, out SessionDescription? result, out string? error));
        Assert.Null(result);
        Assert.Equal(ex.Message, error);
        return ex;
    }

    [Theory]
    [InlineData("o=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n", 1, "missing v=")]
    [InlineData("\r\n\r\no=- 1 1 IN IP4 192.0.2.1\r\n", 3, "missing v=")]
    [InlineData("", 0, "missing v=")]
    [InlineData("v=1\r\n", 1, "unsupported protocol version")]
    [InlineData("v=0\r\ns=-\r\nt=0 0\r\n", 3, "missing o=")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\n", 4, "missing s=")]
    [InlineData("v=0\r\no=- 1 IN IP4 192.0.2.1\r\n", 2, "o= needs 6 fields")]
    [InlineData("v=0\r\no=- 1 x IN IP4 192.0.2.1\r\n", 2, "session version")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 a\r\no=- 1 1 IN IP4 a\r\n", 3, "duplicate o=")]
    [InlineData("v=0\r\nv=0\r\n", 2, "duplicate v=")]
    [InlineData("v=0\r\nx=1\r\n", 2, "unknown line type 'x='")]
    [InlineData("v=0\r\nhello\r\n", 2, "expected '<type>=<value>'")]
    [InlineData("v=0\r\nt=0\r\n", 2, "t= needs")]
    [InlineData("v=0\r\nr=1d 1h 0\r\n", 2, "r= line without")]
    [InlineData("v=0\r\nc=IN IP4\r\n", 2, "c= needs")]
    [InlineData("v=0\r\nb=AS\r\n", 2, "b= needs")]
    [InlineData("v=0\r\nb=AS:-1\r\n", 2, "b= needs")]
    [InlineData("v=0\r\na=:value\r\n", 2, "attribute name")]
    [InlineData("v=0\r\na=bad name:value\r\n", 2, "attribute name")]
    [InlineData("v=0\r\na=x\ry\r\n", 2, "stray CR")]
    public void Session_level_errors_carry_the_line_number(string sdp, int line, string reason)
    {
        SdpParseException ex = Refused(sdp);

        Assert.Equal(line, ex.LineNumber);
        Assert.Contains(reason, ex.Reason, StringComparison.Ordinal);
        Assert.StartsWith(line > 0 ? $"SDP line {line}: " : "SDP: ", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("m=audio\r\n", "bad m= line")]
    [InlineData("m=audio 9\r\n", "bad m= line")]
    [InlineData("m=audio abc RTP/AVP 0\r\n", "port 'abc' is not a number")]
    [InlineData("m=audio -1 RTP/AVP 0\r\n", "port '-1' is not a number")]
    [InlineData("m=audio 65536 RTP/AVP 0\r\n", "port '65536'")]
    [InlineData("m=audio 9/0 RTP/AVP 0\r\n", "port count")]
    [InlineData("m=audio 9/x RTP/AVP 0\r\n", "port count")]
    [InlineData("m=au(dio 9 RTP/AVP 0\r\n", "media type")]
    [InlineData("m=audio 9 RTP//AVP 0\r\n", "protocol")]
    [InlineData("m=audio 9 RTP/AVP 0 (\r\n", "format")]
    public void Bad_m_lines_are_refused_at_their_line(string mLine, string reason)
    {
        SdpParseException ex = Refused(Head + mLine);

        Assert.Equal(5, ex.LineNumber);
        Assert.Contains(reason, ex.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("t=0 0\r\n", "session-level line")]
    [InlineData("o=- 1 1 IN IP4 a\r\n", "session-level line")]
    [InlineData("c=IN IP4 a\r\nc=IN IP4 b\r\n", "duplicate c=")]
    [InlineData("i=a\r\ni=b\r\n", "duplicate i=")]
    public void Media_level_misplaced_or_duplicate_lines(string lines, string reason)
    {
        SdpParseException ex = Refused(Head + "m=audio 9 RTP/AVP 0\r\n" + lines);

        Assert.True(ex.LineNumber >= 6);
        Assert.Contains(reason, ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Input_over_64_KiB_is_refused_before_parsing()
    {
        string big = Head + "a=x:" + new string('y', SdpLimits.MaxInputBytes) + "\r\n";

        SdpParseException ex = Refused(big);

        Assert.Equal(0, ex.LineNumber);
        Assert.Contains("65536 bytes", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Multibyte_input_is_measured_in_utf8_bytes()
    {
        // 30,000 chars but 90,000 UTF-8 bytes.
        string big = Head + "s=" + new string('€', 30_000) + "\r\n";

        Assert.Equal(0, Refused(big).LineNumber);
    }

    [Fact]
    public void Input_with_exactly_the_limits_is_accepted()
    {
        var sb = new StringBuilder(Head);
        for (int i = 0; i < SdpLimits.MaxMediaSections; i++)
        {
            sb.Append("m=audio 9 RTP/AVP 0\r\n");
        }

        for (int lines = CountLines(sb); lines < SdpLimits.MaxLines; lines++)
        {
            sb.Append("a=x\r\n");
        }

        Assert.Equal(SdpLimits.MaxLines, CountLines(sb));
        SessionDescription sdp = SessionDescription.Parse(sb.ToString());
        Assert.Equal(SdpLimits.MaxMediaSections, sdp.Media.Count);
        Assert.Equal(SdpLimits.MaxLines - 4 - SdpLimits.MaxMediaSections, sdp.Media[^1].Attributes.Count);
    }

    [Fact]
    public void More_than_4096_lines_is_refused()
    {
        var sb = new StringBuilder(Head);
        for (int i = 0; i < SdpLimits.MaxLines; i++)
        {
            sb.Append("a=x\n");
        }

        SdpParseException ex = Refused(sb.ToString());

        Assert.Equal(SdpLimits.MaxLines + 1, ex.LineNumber);
        Assert.Contains("4096 lines", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_lines_count_towards_the_line_limit()
    {
        SdpParseException ex = Refused(Head + new string('\n', SdpLimits.MaxLines));

        Assert.Equal(SdpLimits.MaxLines + 1, ex.LineNumber);
    }

    [Fact]
    public void More_than_128_media_sections_is_refused_at_the_129th_m_line()
    {
        var sb = new StringBuilder(Head);
        for (int i = 0; i <= SdpLimits.MaxMediaSections; i++)
        {
            sb.Append("m=audio 9 RTP/AVP 0\r\n");
        }

        SdpParseException ex = Refused(sb.ToString());

        Assert.Equal(4 + SdpLimits.MaxMediaSections + 1, ex.LineNumber);
        Assert.Contains("128 media sections", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_input()
    {
        Assert.Throws<ArgumentNullException>(() => SessionDescription.Parse(null!));
        Assert.False(SessionDescription.TryParse(null, out _, out string? error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Missing_t_line_defaults_to_unbounded_and_is_written()
    {
        SessionDescription sdp = SessionDescription.Parse("v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\n");

        Assert.Equal("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n", sdp.ToString());
    }

    private static int CountLines(StringBuilder sb)
    {
        int n = 0;
        for (int i = 0; i < sb.Length; i++)
        {
            if (sb[i] == '\n')
            {
                n++;
            }
        }

        return n;
    }
}
