using System.Globalization;

namespace MediaRelay.Sdp;

/// <summary>Small lexical helpers shared by the parser and the typed attribute values.</summary>
internal static class SdpText
{
    private static readonly char[] FieldSeparators = [' ', '\t'];

    /// <summary>Splits on runs of spaces/tabs (RFC 8866 uses single SP; we accept more on input).</summary>
    public static string[] SplitFields(string value) =>
        value.Split(FieldSeparators, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Splits "head rest" at the first space; rest keeps its inner spacing.</summary>
    public static bool TrySplitFirst(string value, out string head, out string rest)
    {
        int space = value.IndexOf(' ');
        if (space <= 0)
        {
            head = value;
            rest = string.Empty;
            return false;
        }

        head = value[..space];
        rest = value[(space + 1)..].TrimStart(' ');
        return true;
    }

    /// <summary>RFC 8866 §9 token: 1*(token-char).</summary>
    public static bool IsToken(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (char c in s)
        {
            if (!IsTokenChar(c))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsTokenChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`'
            or '{' or '|' or '}' or '~';

    /// <summary>True when the text can be written on one SDP line (no CR, LF or NUL).</summary>
    public static bool IsLineSafe(ReadOnlySpan<char> s) => s.IndexOfAny('\r', '\n', '\0') < 0;

    public static bool TryParseUInt32(ReadOnlySpan<char> s, out uint value) =>
        uint.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    public static bool TryParseUInt64(ReadOnlySpan<char> s, out ulong value) =>
        ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    /// <summary>Non-negative decimal integer, digits only.</summary>
    public static bool TryParseInt32(ReadOnlySpan<char> s, out int value) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    public static bool TryParsePort(ReadOnlySpan<char> s, out int port) =>
        TryParseInt32(s, out port) && port <= 65535;

    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Format(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
