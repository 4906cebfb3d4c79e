using System.Text;

namespace MediaRelay.Sdp;

/// <summary>
/// Writes RFC 8866 §5 canonical text: session fields in the order v o s i u e p c b t r z k a, then each media
/// section as m i c b k a, every line ending in CRLF. Refuses (InvalidOperationException) any field that would
/// break a line, so a model can never inject extra lines.
/// </summary>
internal static class SdpWriter
{
    public static string Write(SessionDescription session)
    {
        var sb = new StringBuilder(1024);
        Line(sb, 'v', SdpText.Format(session.Version));
        Line(sb, 'o', session.Origin.ToString());
        Line(sb, 's', session.SessionName);
        OptionalLine(sb, 'i', session.SessionInformation);
        OptionalLine(sb, 'u', session.Uri);
        foreach (string email in session.Emails)
        {
            Line(sb, 'e', email);
        }

        foreach (string phone in session.Phones)
        {
            Line(sb, 'p', phone);
        }

        OptionalLine(sb, 'c', session.Connection?.ToString());
        foreach (SdpBandwidth bandwidth in session.Bandwidths)
        {
            Line(sb, 'b', bandwidth.ToString());
        }

        if (session.Timings.Count == 0)
        {
            Line(sb, 't', "0 0");
        }

        foreach (SdpTiming timing in session.Timings)
        {
            Line(sb, 't', timing.ToString());
            foreach (string repeat in timing.Repeats)
            {
                Line(sb, 'r', repeat);
            }
        }

        OptionalLine(sb, 'z', session.TimeZones);
        OptionalLine(sb, 'k', session.EncryptionKey);
        foreach (SdpAttribute attribute in session.Attributes)
        {
            Line(sb, 'a', attribute.ToString());
        }

        foreach (MediaDescription media in session.Media)
        {
            WriteMedia(sb, media);
        }

        return sb.ToString();
    }

    public static void WriteMedia(StringBuilder sb, MediaDescription media)
    {
        var m = new StringBuilder();
        m.Append(media.Kind).Append(' ').Append(SdpText.Format(media.Port));
        if (media.PortCount is int count)
        {
            m.Append('/').Append(SdpText.Format(count));
        }

        m.Append(' ').Append(media.Protocol);
        foreach (string format in media.Formats)
        {
            m.Append(' ').Append(format);
        }

        Line(sb, 'm', m.ToString());
        OptionalLine(sb, 'i', media.Title);
        OptionalLine(sb, 'c', media.Connection?.ToString());
        foreach (SdpBandwidth bandwidth in media.Bandwidths)
        {
            Line(sb, 'b', bandwidth.ToString());
        }

        OptionalLine(sb, 'k', media.EncryptionKey);
        foreach (SdpAttribute attribute in media.Attributes)
        {
            Line(sb, 'a', attribute.ToString());
        }
    }

    private static void OptionalLine(StringBuilder sb, char type, string? value)
    {
        if (value is not null)
        {
            Line(sb, type, value);
        }
    }

    private static void Line(StringBuilder sb, char type, string value)
    {
        if (!SdpText.IsLineSafe(value))
        {
            throw new InvalidOperationException($"SDP {type}= value contains CR, LF or NUL.");
        }

        sb.Append(type).Append('=').Append(value).Append("\r\n");
    }
}
