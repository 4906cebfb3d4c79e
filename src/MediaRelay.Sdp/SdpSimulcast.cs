using System.Diagnostics.CodeAnalysis;

namespace MediaRelay.Sdp;

/// <summary>
/// RFC 8853 §5.1 <c>a=simulcast:</c> send/recv stream lists. Each list is ';'-separated simulcast streams; each
/// stream is ','-separated alternative formats (rids), a leading '~' marking a paused one:
/// "send q;h;f", "recv 1,~2;3 send 4".
/// </summary>
public sealed record SdpSimulcast(
    IReadOnlyList<IReadOnlyList<SdpSimulcastStream>> Send,
    IReadOnlyList<IReadOnlyList<SdpSimulcastStream>> Recv)
{
    /// <summary>"send a;b;c" with one rid per stream and no alternatives.</summary>
    public static SdpSimulcast SendOnly(params string[] rids)
    {
        var streams = new IReadOnlyList<SdpSimulcastStream>[rids.Length];
        for (int i = 0; i < rids.Length; i++)
        {
            streams[i] = [new SdpSimulcastStream(rids[i])];
        }

        return new SdpSimulcast(streams, []);
    }

    public static bool TryParse(string value, [NotNullWhen(true)] out SdpSimulcast? simulcast)
    {
        simulcast = null;
        string[] f = SdpText.SplitFields(value);
        if (f.Length is not (2 or 4))
        {
            return false;
        }

        IReadOnlyList<IReadOnlyList<SdpSimulcastStream>>? send = null;
        IReadOnlyList<IReadOnlyList<SdpSimulcastStream>>? recv = null;
        for (int i = 0; i < f.Length; i += 2)
        {
            if (!TryParseList(f[i + 1], out IReadOnlyList<IReadOnlyList<SdpSimulcastStream>>? list))
            {
                return false;
            }

            if (f[i] == "send" && send is null)
            {
                send = list;
            }
            else if (f[i] == "recv" && recv is null)
            {
                recv = list;
            }
            else
            {
                return false;
            }
        }

        simulcast = new SdpSimulcast(send ?? [], recv ?? []);
        return true;
    }

    private static bool TryParseList(string text, [NotNullWhen(true)] out IReadOnlyList<IReadOnlyList<SdpSimulcastStream>>? list)
    {
        list = null;

        // Pre-RFC drafts (old Firefox) prefixed the list with "rid=".
        if (text.StartsWith("rid=", StringComparison.Ordinal))
        {
            text = text[4..];
        }

        var streams = new List<IReadOnlyList<SdpSimulcastStream>>();
        foreach (string stream in text.Split(';'))
        {
            var alternatives = new List<SdpSimulcastStream>();
            foreach (string alt in stream.Split(','))
            {
                bool paused = alt.StartsWith('~');
                string rid = paused ? alt[1..] : alt;
                if (!SdpRid.IsValidId(rid))
                {
                    return false;
                }

                alternatives.Add(new SdpSimulcastStream(rid, paused));
            }

            streams.Add(alternatives);
        }

        list = streams;
        return true;
    }

    private static string FormatList(IReadOnlyList<IReadOnlyList<SdpSimulcastStream>> list)
    {
        var streams = new string[list.Count];
        for (int i = 0; i < list.Count; i++)
        {
            streams[i] = string.Join(',', list[i]);
        }

        return string.Join(';', streams);
    }

    /// <summary>The attribute value; the send list is written first.</summary>
    public override string ToString()
    {
        if (Send.Count > 0 && Recv.Count > 0)
        {
            return "send " + FormatList(Send) + " recv " + FormatList(Recv);
        }

        return Recv.Count > 0 ? "recv " + FormatList(Recv) : "send " + FormatList(Send);
    }

    /// <summary>Value equality over the canonical attribute text (the list members compare by content).</summary>
    public bool Equals(SdpSimulcast? other) => other is not null && ToString() == other.ToString();

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);
}
