using System.Diagnostics;
using System.Net;
using MediaRelay.Testing;
using MediaRelay.Transport.Ice;
using MediaRelay.Transport.Stun;

namespace MediaRelay.Transport.Tests.Ice;

public class IceLiteAgentTests
{
    private static readonly IceCredentials Local = new("lOcA", "0123456789abcdefABCDEF+/");
    private const string RemoteUfrag = "rEm0";
    private const string RemotePassword = "remotepasswordremotepass";
    private static readonly long Second = Stopwatch.Frequency;

    private readonly byte[] _response = new byte[IceLiteAgent.MinimumResponseBufferSize];

    private static IPEndPoint Ep(SocketAddress? a) => (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(a!);

    private static SocketAddress Address(string ip, int port) => new IPEndPoint(IPAddress.Parse(ip), port).Serialize();

    private IceCheckOutcome Handle(IceLiteAgent agent, byte[] request, SocketAddress from, long now, out int length)
    {
        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(request, out var m));
        return agent.HandleBindingRequest(m, from, _response, out length, now);
    }

    [Fact]
    public void Browser_check_with_use_candidate_is_answered_and_nominates()
    {
        var agent = new IceLiteAgent(Local);
        agent.SetRemoteCredentials(RemoteUfrag, RemotePassword);
        byte[] tid = BrowserCheck.NewTransactionId();
        byte[] request = BrowserCheck.Build("lOcA:rEm0", Local.LocalPassword, transactionId: tid);
        SocketAddress from = Address("192.0.2.10", 50000);

        Assert.Equal(IceCheckOutcome.Nominated, Handle(agent, request, from, 100, out int length));

        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(_response.AsSpan(0, length), out var r));
        Assert.Equal(StunMessageType.BindingSuccessResponse, r.MessageType);
        Assert.Equal(tid, r.TransactionId.ToArray());
        Assert.True(r.VerifyMessageIntegrity(Local.LocalPasswordBytes));
        Assert.True(r.VerifyFingerprint());
        Assert.True(r.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.10"), 50000), mapped);

        Assert.NotNull(agent.SelectedRemote);
        Assert.True(agent.IsSelectedRemote(from));
        Assert.Equal(Ep(from), Ep(agent.SelectedRemote));
        Assert.NotSame(from, agent.SelectedRemote);
        Assert.Equal(100, agent.LastConsentTimestamp);

        // The caller reuses its SocketAddress: the agent kept a copy.
        from.Buffer.Span[7] = 99;
        Assert.False(agent.IsSelectedRemote(from));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.10"), 50000), Ep(agent.SelectedRemote));

        // Repeated nomination of the same address is a plain accept that refreshes consent.
        Assert.Equal(IceCheckOutcome.Accepted, Handle(agent, request, Address("192.0.2.10", 50000), 200, out _));
        Assert.Equal(200, agent.LastConsentTimestamp);
        Assert.Equal(1, agent.SelectionCount);
    }

    [Fact]
    public void Check_without_use_candidate_is_accepted_but_selects_nothing()
    {
        var agent = new IceLiteAgent(Local);
        byte[] request = BrowserCheck.Build("lOcA:rEm0", Local.LocalPassword, useCandidate: false);
        Assert.Equal(IceCheckOutcome.Accepted, Handle(agent, request, Address("192.0.2.10", 1), 5, out int length));
        Assert.True(length > 0);
        Assert.Null(agent.SelectedRemote);
        Assert.False(agent.IsConsentExpired(long.MaxValue));
    }

    [Fact]
    public void Ipv6_peer_gets_an_ipv6_mapped_address()
    {
        var agent = new IceLiteAgent(Local);
        byte[] request = BrowserCheck.Build("lOcA:rEm0", Local.LocalPassword);
        Assert.Equal(IceCheckOutcome.Nominated, Handle(agent, request, Address("2001:db8::7", 6000), 1, out int length));
        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(_response.AsSpan(0, length), out var r));
        Assert.True(r.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::7"), 6000), mapped);
    }

    [Fact]
    public void Wrong_password_gets_401_without_integrity()
    {
        var agent = new IceLiteAgent(Local);
        byte[] request = BrowserCheck.Build("lOcA:rEm0", "wrongpasswordwrongpassw");
        Assert.Equal(IceCheckOutcome.Unauthorized, Handle(agent, request, Address("192.0.2.10", 1), 1, out int length));
        AssertError(length, 401, expectIntegrity: false);
        Assert.Null(agent.SelectedRemote);
    }

    [Fact]
    public void Wrong_local_ufrag_gets_401()
    {
        var agent = new IceLiteAgent(Local);
        byte[] request = BrowserCheck.Build("lOcB:rEm0", Local.LocalPassword);
        Assert.Equal(IceCheckOutcome.UnknownUsername, Handle(agent, request, Address("192.0.2.10", 1), 1, out int length));
        AssertError(length, 401, expectIntegrity: false);
    }

    [Fact]
    public void Remote_ufrag_is_checked_once_known()
    {
        var agent = new IceLiteAgent(Local);
        byte[] request = BrowserCheck.Build("lOcA:other", Local.LocalPassword, useCandidate: false);
        Assert.Equal(IceCheckOutcome.Accepted, Handle(agent, request, Address("192.0.2.10", 1), 1, out _));
        agent.SetRemoteCredentials(RemoteUfrag, RemotePassword);
        Assert.Equal(IceCheckOutcome.UnknownUsername, Handle(agent, request, Address("192.0.2.10", 1), 1, out int length));
        AssertError(length, 401, expectIntegrity: false);
        byte[] noColon = BrowserCheck.Build("lOcA", Local.LocalPassword);
        Assert.Equal(IceCheckOutcome.UnknownUsername, Handle(agent, noColon, Address("192.0.2.10", 1), 1, out _));
    }

    [Fact]
    public void Missing_username_or_integrity_gets_400()
    {
        var agent = new IceLiteAgent(Local);
        byte[] noIntegrity = BrowserCheck.Build("lOcA:rEm0", Local.LocalPassword, integrity: false);
        Assert.Equal(IceCheckOutcome.BadRequest, Handle(agent, noIntegrity, Address("192.0.2.10", 1), 1, out int length));
        AssertError(length, 400, expectIntegrity: false);
        byte[] noUsername = BrowserCheck.Build("", Local.LocalPassword);
        Assert.Equal(IceCheckOutcome.BadRequest, Handle(agent, noUsername, Address("192.0.2.10", 1), 1, out length));
        AssertError(length, 400, expectIntegrity: false);
    }

    [Fact]
    public void Missing_or_bad_fingerprint_is_discarded_silently()
    {
        var agent = new IceLiteAgent(Local);
        byte[] noFingerprint = BrowserCheck.Build("lOcA:rEm0", Local.LocalPassword, fingerprint: false);
        Assert.Equal(IceCheckOutcome.Discarded, Handle(agent, noFingerprint, Address("192.0.2.10", 1), 1, out int length));
        Assert.Equal(0, length);
        byte[] badFingerprint = BrowserCheck.Build("lOcA:rEm0", Local.LocalPassword);
        badFingerprint[^1] ^= 1;
        Assert.Equal(IceCheckOutcome.Discarded, Handle(agent, badFingerprint, Address("192.0.2.10", 1), 1, out length));
        Assert.Equal(0, length);
    }

    [Fact]
    public void Peer_claiming_controlled_gets_487_with_integrity()
    {
        var agent = new IceLiteAgent(Local);
        byte[] request = BrowserCheck.Build("lOcA:rEm0", Local.LocalPassword, controlled: true);
        Assert.Equal(IceCheckOutcome.RoleConflict, Handle(agent, request, Address("192.0.2.10", 1), 1, out int length));
        AssertError(length, 487, expectIntegrity: true);
        Assert.Null(agent.SelectedRemote);
    }

    [Fact]
    public void Non_request_messages_are_ignored()
    {
        var agent = new IceLiteAgent(Local);
        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(Stun.Rfc5769Vectors.IPv4Response, out var m));
        Assert.Equal(IceCheckOutcome.Ignored, agent.HandleBindingRequest(m, Address("192.0.2.10", 1), _response, out int length, 1));
        Assert.Equal(0, length);
    }

    [Fact]
    public void Consent_expires_30_seconds_after_the_last_check_from_the_selected_address()
    {
        var agent = new IceLiteAgent(Local);
        SocketAddress selected = Address("192.0.2.10", 50000);
        long t0 = 1_000 * Second;
        Assert.Equal(IceCheckOutcome.Nominated, Handle(agent, BrowserCheck.Build("lOcA:rEm0", Local.LocalPassword), selected, t0, out _));

        Assert.False(agent.IsConsentExpired(t0 + (29 * Second)));
        Assert.True(agent.IsConsentExpired(t0 + (31 * Second)));

        // A consent check (no USE-CANDIDATE) on the selected pair refreshes it ...
        byte[] consent = BrowserCheck.Build("lOcA:rEm0", Local.LocalPassword, useCandidate: false);
        Assert.Equal(IceCheckOutcome.Accepted, Handle(agent, consent, selected, t0 + (20 * Second), out _));
        Assert.False(agent.IsConsentExpired(t0 + (45 * Second)));

        // ... a valid check from another address does not, and neither does a bad one.
        Assert.Equal(IceCheckOutcome.Accepted, Handle(agent, consent, Address("192.0.2.11", 50000), t0 + (40 * Second), out _));
        byte[] bad = BrowserCheck.Build("lOcA:rEm0", "wrongpasswordwrongpassw", useCandidate: false);
        Assert.Equal(IceCheckOutcome.Unauthorized, Handle(agent, bad, selected, t0 + (45 * Second), out _));
        Assert.Equal(t0 + (20 * Second), agent.LastConsentTimestamp);
        Assert.True(agent.IsConsentExpired(t0 + (51 * Second)));
    }

    [Fact]
    public void Consent_timeout_is_configurable()
    {
        var agent = new IceLiteAgent(Local, TimeSpan.FromSeconds(5));
        Handle(agent, BrowserCheck.Build("lOcA:rEm0", Local.LocalPassword), Address("192.0.2.10", 1), 0, out _);
        Assert.False(agent.IsConsentExpired(4 * Second));
        Assert.True(agent.IsConsentExpired(6 * Second));
        Assert.Throws<ArgumentException>(() => new IceLiteAgent(Local, TimeSpan.Zero));
    }

    [Fact]
    public void A_later_nomination_from_another_address_switches()
    {
        var agent = new IceLiteAgent(Local);
        byte[] nominate = BrowserCheck.Build("lOcA:rEm0", Local.LocalPassword);
        Assert.Equal(IceCheckOutcome.Nominated, Handle(agent, nominate, Address("192.0.2.10", 50000), 1, out _));
        Assert.Equal(IceCheckOutcome.Nominated, Handle(agent, nominate, Address("2001:db8::9", 50001), 2, out _));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::9"), 50001), Ep(agent.SelectedRemote));
        Assert.Equal(IceCheckOutcome.Nominated, Handle(agent, nominate, Address("198.51.100.1", 7), 3, out _));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.51.100.1"), 7), Ep(agent.SelectedRemote));
        Assert.True(agent.IsSelectedRemote(Address("198.51.100.1", 7)));
        Assert.Equal(3, agent.SelectionCount);
        Assert.Equal(3, agent.LastConsentTimestamp);
    }

    [Fact]
    public void Handling_a_check_allocates_nothing()
    {
        var agent = new IceLiteAgent(Local);
        agent.SetRemoteCredentials(RemoteUfrag, RemotePassword);
        byte[] request = BrowserCheck.Build("lOcA:rEm0", Local.LocalPassword);
        SocketAddress from = Address("192.0.2.10", 50000);
        byte[] response = new byte[256];
        int total = 0;
        for (int i = 0; i < 100; i++)
        {
            total += HandleRaw(agent, request, from, response, i);
        }
        long allocated = AllocationMeter.Measure(() =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                total += HandleRaw(agent, request, from, response, i);
            }
        });
        Assert.Equal(0, allocated);
        Assert.True(total > 0);
    }

    private static int HandleRaw(IceLiteAgent agent, byte[] request, SocketAddress from, byte[] response, long now)
    {
        StunMessage.TryParse(request, out var m);
        agent.HandleBindingRequest(m, from, response, out int length, now);
        return length;
    }

    private void AssertError(int length, int code, bool expectIntegrity)
    {
        Assert.Equal(StunParseStatus.Ok, StunMessage.TryParse(_response.AsSpan(0, length), out var r));
        Assert.Equal(StunMessageType.BindingErrorResponse, r.MessageType);
        Assert.Equal(code, r.ErrorCode);
        Assert.True(r.VerifyFingerprint());
        Assert.Equal(expectIntegrity, r.HasMessageIntegrity);
        if (expectIntegrity)
        {
            Assert.True(r.VerifyMessageIntegrity(Local.LocalPasswordBytes));
        }
    }
}
