using System.Net;
using System.Text;
using MediaRelay.Transport.Ice;
using MediaRelay.Transport.Stun;

namespace MediaRelay.LoadTest.Peers;

/// <summary>
/// The load peer's ICE agent for its single candidate pair (RFC 8445): connectivity checks toward the server's one
/// host candidate, USE-CANDIDATE when controlling (aggressive nomination, as a browser facing an ICE-lite server or
/// Janus facing our offer), answers to the remote agent's checks (Janus is a full agent) and consent freshness
/// (RFC 7675) once connected. All messages are short-term-credential STUN (RFC 8489 §9.1, RFC 8445 §7.1).
/// </summary>
internal sealed class IceClient
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan ConsentInterval = TimeSpan.FromSeconds(4);

    private readonly byte[] _request = new byte[256];
    private readonly byte[] _transaction = new byte[12];
    private readonly ulong _tieBreaker = (ulong)Random.Shared.NextInt64();
    private byte[] _remotePassword = [];
    private byte[] _username = [];
    private IPEndPoint? _remote;
    private long _nextCheck;

    public IceClient()
    {
        Local = IceCredentials.Generate();
    }

    public IceCredentials Local { get; }

    public bool Controlling { get; private set; }

    /// <summary>A check of ours succeeded, or (controlled) the remote nominated us: media may flow.</summary>
    public bool Connected { get; private set; }

    public long ChecksSent { get; private set; }

    public long ResponsesReceived { get; private set; }

    public long RequestsAnswered { get; private set; }

    public long Rejected { get; private set; }

    public override string ToString() =>
        $"ICE {(Controlling ? "controlling" : "controlled")}, {(Connected ? "connected" : "not connected")}: {ChecksSent} checks sent, " +
        $"{ResponsesReceived} responses, {RequestsAnswered} remote checks answered, {Rejected} rejected";

    public void SetRemote(IPEndPoint remote, string ufrag, string password, bool controlling)
    {
        _remote = remote;
        _remotePassword = Encoding.UTF8.GetBytes(password);
        // RFC 8445 §7.2.2: USERNAME is "remote ufrag:local ufrag" from the sender's point of view.
        _username = Encoding.UTF8.GetBytes(ufrag + ":" + Local.LocalUfrag);
        Controlling = controlling;
        _nextCheck = 0;
    }

    /// <summary>Writes the next check or consent request into <paramref name="datagram"/> when one is due; else 0.</summary>
    public int NextRequest(long now, Span<byte> datagram)
    {
        if (_remote is null || now < _nextCheck)
        {
            return 0;
        }
        _nextCheck = now + (long)((Connected ? ConsentInterval : CheckInterval).TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        Random.Shared.NextBytes(_transaction);
        var writer = new StunMessageWriter(datagram);
        writer.Begin(StunMessageType.BindingRequest, _transaction);
        writer.AddUsername(_username);
        writer.AddPriority(0x6E7F1EFF); // host candidate, RFC 8445 §5.1.2.1 (type preference 110)
        if (Controlling)
        {
            writer.AddIceControlling(_tieBreaker);
            writer.AddUseCandidate();
        }
        else
        {
            writer.AddIceControlled(_tieBreaker);
        }
        writer.AddMessageIntegrity(_remotePassword);
        writer.AddFingerprint();
        ChecksSent++;
        return writer.Length;
    }

    /// <summary>
    /// Handles one STUN datagram: a success response to our check marks the pair connected; a request from the remote
    /// agent (verified with our password) is answered into <paramref name="response"/>, whose length is returned.
    /// </summary>
    public int OnStun(ReadOnlySpan<byte> datagram, Span<byte> response)
    {
        if (StunMessage.TryParse(datagram, out StunMessage message) != StunParseStatus.Ok || _remote is null)
        {
            Rejected++;
            return 0;
        }
        if (message.MessageType == StunMessageType.BindingSuccessResponse)
        {
            if (message.VerifyMessageIntegrity(_remotePassword))
            {
                ResponsesReceived++;
                Connected = true;
            }
            else
            {
                Rejected++;
            }
            return 0;
        }
        if (message.MessageType != StunMessageType.BindingRequest
            || !message.VerifyMessageIntegrity(Local.LocalPasswordBytes))
        {
            Rejected++;
            return 0;
        }
        RequestsAnswered++;
        if (message.HasUseCandidate && !Controlling)
        {
            Connected = true; // RFC 8445 §7.3.1.5: the controlling agent nominated our only pair
        }
        _nextCheck = 0; // RFC 8445 §7.3.1.4: a triggered check
        var writer = new StunMessageWriter(response);
        writer.Begin(StunMessageType.BindingSuccessResponse, message.TransactionId);
        writer.AddXorMappedAddress(_remote.Address, _remote.Port);
        writer.AddMessageIntegrity(Local.LocalPasswordBytes);
        writer.AddFingerprint();
        return writer.Length;
    }
}
