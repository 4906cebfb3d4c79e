using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace MediaRelay.Sdp;

/// <summary>
/// RFC 8866 §5/§9 parser. Line ends may be CRLF or LF; empty lines are skipped. Session-level fields are accepted in
/// any order before the first m= (the writer restores §5 order); v= must come first. Unknown type letters are refused
/// (§5: "MUST completely ignore or reject"). Attribute values are kept verbatim; their syntax is checked only by the
/// typed getters.
/// </summary>
internal sealed class SdpReader
{
    private readonly SessionDescription _session = new();
    private MediaDescription? _media;
    private int _line;
    private bool _sawVersion;
    private bool _sawOrigin;
    private bool _sawSessionName;
    private bool _sawTiming;

    public static SessionDescription Read(string sdp)
    {
        ArgumentNullException.ThrowIfNull(sdp);
        if (sdp.Length > SdpLimits.MaxInputBytes
            || (sdp.Length > SdpLimits.MaxInputBytes / 3 && Encoding.UTF8.GetByteCount(sdp) > SdpLimits.MaxInputBytes))
        {
            Fail(0, $"input exceeds {SdpLimits.MaxInputBytes} bytes");
        }

        return new SdpReader().ReadAll(sdp);
    }

    private SessionDescription ReadAll(string sdp)
    {
        _session.Timings.Clear();
        int position = 0;
        while (position < sdp.Length)
        {
            int newline = sdp.IndexOf('\n', position);
            int end = newline < 0 ? sdp.Length : newline;
            int next = newline < 0 ? sdp.Length : newline + 1;
            if (end > position && sdp[end - 1] == '\r')
            {
                end--;
            }

            _line++;
            if (_line > SdpLimits.MaxLines)
            {
                Fail(_line, $"more than {SdpLimits.MaxLines} lines");
            }

            if (end > position)
            {
                ReadLine(sdp.Substring(position, end - position));
            }

            position = next;
        }

        if (!_sawVersion)
        {
            Fail(_line, "missing v= line (empty input)");
        }

        if (!_sawOrigin)
        {
            Fail(_line, "missing o= line");
        }

        if (!_sawSessionName)
        {
            Fail(_line, "missing s= line");
        }

        if (_session.Timings.Count == 0)
        {
            _session.Timings.Add(new SdpTiming());
        }

        return _session;
    }

    private void ReadLine(string line)
    {
        if (line.Length < 2 || line[1] != '=')
        {
            Fail(_line, "expected '<type>=<value>'");
        }

        char type = line[0];
        string value = line[2..];
        if (!SdpText.IsLineSafe(value))
        {
            Fail(_line, "stray CR or NUL inside the line");
        }

        if (!_sawVersion)
        {
            if (type != 'v')
            {
                Fail(_line, "missing v= line: a session description must start with v=0");
            }

            if (value != "0")
            {
                Fail(_line, $"unsupported protocol version '{value}' (only v=0)");
            }

            _sawVersion = true;
            return;
        }

        if (_media is null)
        {
            ReadSessionLine(type, value);
        }
        else
        {
            ReadMediaLine(_media, type, value);
        }
    }

    private void ReadSessionLine(char type, string value)
    {
        switch (type)
        {
            case 'v':
                Fail(_line, "duplicate v= line");
                break;
            case 'o':
                Once(ref _sawOrigin, "o=");
                if (!SdpOrigin.TryParse(value, out SdpOrigin? origin, out string? error))
                {
                    Fail(_line, error!);
                }

                _session.Origin = origin!;
                break;
            case 's':
                Once(ref _sawSessionName, "s=");
                _session.SessionName = value;
                break;
            case 'i':
                _session.SessionInformation = Single(_session.SessionInformation, value, "i=");
                break;
            case 'u':
                _session.Uri = Single(_session.Uri, value, "u=");
                break;
            case 'e':
                _session.Emails.Add(value);
                break;
            case 'p':
                _session.Phones.Add(value);
                break;
            case 'c':
                if (_session.Connection is not null)
                {
                    Fail(_line, "duplicate c= line");
                }

                _session.Connection = ParseConnection(value);
                break;
            case 'b':
                _session.Bandwidths.Add(ParseBandwidth(value));
                break;
            case 't':
                if (!SdpTiming.TryParse(value, out SdpTiming? timing))
                {
                    Fail(_line, "t= needs '<start-time> <stop-time>' as decimal numbers");
                }

                _sawTiming = true;
                _session.Timings.Add(timing!);
                break;
            case 'r':
                if (!_sawTiming)
                {
                    Fail(_line, "r= line without a preceding t= line");
                }

                _session.Timings[^1].Repeats.Add(value);
                break;
            case 'z':
                _session.TimeZones = Single(_session.TimeZones, value, "z=");
                break;
            case 'k':
                _session.EncryptionKey = Single(_session.EncryptionKey, value, "k=");
                break;
            case 'a':
                _session.Attributes.Add(ParseAttribute(value));
                break;
            case 'm':
                StartMedia(value);
                break;
            default:
                Fail(_line, $"unknown line type '{type}='");
                break;
        }
    }

    private void ReadMediaLine(MediaDescription media, char type, string value)
    {
        switch (type)
        {
            case 'm':
                StartMedia(value);
                break;
            case 'i':
                media.Title = Single(media.Title, value, "i=");
                break;
            case 'c':
                if (media.Connection is not null)
                {
                    Fail(_line, "duplicate c= line in media section");
                }

                media.Connection = ParseConnection(value);
                break;
            case 'b':
                media.Bandwidths.Add(ParseBandwidth(value));
                break;
            case 'k':
                media.EncryptionKey = Single(media.EncryptionKey, value, "k=");
                break;
            case 'a':
                media.Attributes.Add(ParseAttribute(value));
                break;
            case 'v' or 'o' or 's' or 'u' or 'e' or 'p' or 't' or 'r' or 'z':
                Fail(_line, $"'{type}=' is a session-level line and cannot appear after m=");
                break;
            default:
                Fail(_line, $"unknown line type '{type}='");
                break;
        }
    }

    // RFC 8866 §5.14: m=<media> <port>[/<number of ports>] <proto> <fmt> ...
    private void StartMedia(string value)
    {
        if (!_sawOrigin || !_sawSessionName)
        {
            Fail(_line, _sawOrigin ? "missing s= line before the first m=" : "missing o= line before the first m=");
        }

        if (_session.Media.Count >= SdpLimits.MaxMediaSections)
        {
            Fail(_line, $"more than {SdpLimits.MaxMediaSections} media sections");
        }

        string[] f = SdpText.SplitFields(value);
        if (f.Length < 3)
        {
            Fail(_line, "bad m= line: expected '<media> <port> <proto> <fmt> ...'");
        }

        if (!SdpText.IsToken(f[0]))
        {
            Fail(_line, $"bad m= line: media type '{f[0]}' is not a token");
        }

        string portText = f[1];
        int? portCount = null;
        int slash = portText.IndexOf('/');
        if (slash >= 0)
        {
            if (!SdpText.TryParseInt32(portText.AsSpan(slash + 1), out int count) || count is < 1 or > 65535)
            {
                Fail(_line, $"bad m= line: port count in '{portText}' is not a number in 1-65535");
            }

            portCount = count;
            portText = portText[..slash];
        }

        if (!SdpText.TryParsePort(portText, out int port))
        {
            Fail(_line, $"bad m= line: port '{portText}' is not a number in 0-65535");
        }

        if (!IsProtocol(f[2]))
        {
            Fail(_line, $"bad m= line: protocol '{f[2]}' is not a token list");
        }

        var media = new MediaDescription(f[0], port, f[2]) { PortCount = portCount };
        for (int i = 3; i < f.Length; i++)
        {
            if (!SdpText.IsToken(f[i]))
            {
                Fail(_line, $"bad m= line: format '{f[i]}' is not a token");
            }

            media.Formats.Add(f[i]);
        }

        _session.Media.Add(media);
        _media = media;
    }

    // proto = token *("/" token)
    private static bool IsProtocol(string proto)
    {
        foreach (string part in proto.Split('/'))
        {
            if (!SdpText.IsToken(part))
            {
                return false;
            }
        }

        return true;
    }

    private SdpConnection ParseConnection(string value)
    {
        if (!SdpConnection.TryParse(value, out SdpConnection? connection))
        {
            Fail(_line, "c= needs '<nettype> <addrtype> <connection-address>'");
        }

        return connection!;
    }

    private SdpBandwidth ParseBandwidth(string value)
    {
        if (!SdpBandwidth.TryParse(value, out SdpBandwidth? bandwidth))
        {
            Fail(_line, "b= needs '<bwtype>:<bandwidth>' with a decimal bandwidth");
        }

        return bandwidth!;
    }

    // RFC 8866 §5.13: attribute = (attribute-name ":" attribute-value) / attribute-name
    private SdpAttribute ParseAttribute(string value)
    {
        int colon = value.IndexOf(':');
        string name = colon < 0 ? value.TrimEnd(' ', '\t') : value[..colon];
        if (!SdpText.IsToken(name))
        {
            Fail(_line, $"attribute name '{name}' is not a token");
        }

        return new SdpAttribute(name, colon < 0 ? null : value[(colon + 1)..]);
    }

    private void Once(ref bool seen, string what)
    {
        if (seen)
        {
            Fail(_line, $"duplicate {what} line");
        }

        seen = true;
    }

    private string Single(string? existing, string value, string what)
    {
        if (existing is not null)
        {
            Fail(_line, $"duplicate {what} line");
        }

        return value;
    }

    [DoesNotReturn]
    private static void Fail(int line, string reason) => throw new SdpParseException(line, reason);
}
