using System.Text;
using MediaRelay.Transport.Stun;

namespace MediaRelay.Transport.Tests.Ice;

/// <summary>Builds connectivity checks the way a controlling browser does (RFC 8445 §7.2.2).</summary>
internal static class BrowserCheck
{
    public const ulong TieBreaker = 0x1122334455667788;

    public static byte[] Build(string username, string password, bool useCandidate = true, bool integrity = true,
        bool fingerprint = true, bool controlled = false, byte[]? transactionId = null)
    {
        byte[] buffer = new byte[256];
        var w = new StunMessageWriter(buffer);
        w.Begin(StunMessageType.BindingRequest, transactionId ?? NewTransactionId());
        if (username.Length > 0)
        {
            w.AddUsername(Encoding.ASCII.GetBytes(username));
        }
        w.AddPriority(0x6E001EFF);
        if (controlled)
        {
            w.AddIceControlled(TieBreaker);
        }
        else
        {
            w.AddIceControlling(TieBreaker);
        }
        if (useCandidate)
        {
            w.AddUseCandidate();
        }
        if (integrity)
        {
            w.AddMessageIntegrity(Encoding.ASCII.GetBytes(password));
        }
        if (fingerprint)
        {
            w.AddFingerprint();
        }
        return buffer.AsSpan(0, w.Length).ToArray();
    }

    public static byte[] NewTransactionId()
    {
        byte[] tid = new byte[12];
        Random.Shared.NextBytes(tid);
        return tid;
    }
}
