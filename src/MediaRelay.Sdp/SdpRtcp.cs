using System.Diagnostics.CodeAnalysis;

namespace MediaRelay.Sdp;

/// <summary>
/// RFC 3605 §2.1 RTCP port: <c>a=rtcp:&lt;port&gt; [&lt;nettype&gt; &lt;addrtype&gt; &lt;connection-address&gt;]</c>.
/// </summary>
public sealed record SdpRtcp(int Port, SdpConnection? Connection = null)
{
    public static bool TryParse(string value, [NotNullWhen(true)] out SdpRtcp? rtcp)
    {
        rtcp = null;
        string[] f = SdpText.SplitFields(value);
        if ((f.Length != 1 && f.Length != 4) || !SdpText.TryParsePort(f[0], out int port))
        {
            return false;
        }

        rtcp = new SdpRtcp(port, f.Length == 4 ? new SdpConnection(f[1], f[2], f[3]) : null);
        return true;
    }

    /// <summary>The attribute value.</summary>
    public override string ToString() =>
        Connection is null ? SdpText.Format(Port) : SdpText.Format(Port) + " " + Connection;
}
