using System.Net;
using BenchmarkDotNet.Attributes;
using MediaRelay.Transport.Ice;
using MediaRelay.Transport.Stun;

namespace MediaRelay.Benchmarks;

/// <summary>
/// The STUN hot path of an ICE-lite server: a browser-style Binding request (USERNAME, PRIORITY,
/// ICE-CONTROLLING, USE-CANDIDATE, MESSAGE-INTEGRITY, FINGERPRINT) parsed and verified, and the
/// success response (XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY, FINGERPRINT) written. Expected: 0 B allocated.
/// </summary>
[MemoryDiagnoser]
public class StunBenchmarks
{
    private readonly byte[] _request = new byte[256];
    private readonly byte[] _response = new byte[256];
    private readonly byte[] _transactionId = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    private int _requestLength;
    private byte[] _password = [];
    private SocketAddress _from = null!;
    private IceLiteAgent _agent = null!;

    [GlobalSetup]
    public void Setup()
    {
        var credentials = new IceCredentials("lOcAlUfR", "0123456789abcdefABCDEF+/");
        _password = credentials.LocalPasswordBytes.ToArray();
        _agent = new IceLiteAgent(credentials);
        _agent.SetRemoteCredentials("rEmOtEuF", "remotepasswordremotepass");
        _from = new IPEndPoint(IPAddress.Parse("192.0.2.10"), 50000).Serialize();

        var w = new StunMessageWriter(_request);
        w.Begin(StunMessageType.BindingRequest, _transactionId);
        w.AddUsername("lOcAlUfR:rEmOtEuF"u8);
        w.AddPriority(0x6E001EFF);
        w.AddIceControlling(0x1122334455667788);
        w.AddUseCandidate();
        w.AddMessageIntegrity(_password);
        w.AddFingerprint();
        _requestLength = w.Length;
    }

    [Benchmark]
    public bool ParseAndVerify()
    {
        if (StunMessage.TryParse(_request.AsSpan(0, _requestLength), out var m) != StunParseStatus.Ok)
        {
            return false;
        }
        return m.VerifyFingerprint() && m.VerifyMessageIntegrity(_password) && m.HasUseCandidate;
    }

    [Benchmark]
    public int WriteBindingSuccessResponse()
    {
        var w = new StunMessageWriter(_response);
        w.Begin(StunMessageType.BindingSuccessResponse, _transactionId);
        w.AddXorMappedAddress(_from);
        w.AddMessageIntegrity(_password);
        w.AddFingerprint();
        return w.Length;
    }

    [Benchmark]
    public int AgentHandleBindingRequest()
    {
        StunMessage.TryParse(_request.AsSpan(0, _requestLength), out var m);
        _agent.HandleBindingRequest(m, _from, _response, out int length, 0);
        return length;
    }
}
