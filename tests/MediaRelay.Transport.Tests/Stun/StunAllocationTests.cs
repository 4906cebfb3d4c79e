using System.Net;
using MediaRelay.Testing;
using MediaRelay.Transport.Stun;

namespace MediaRelay.Transport.Tests.Stun;

public class StunAllocationTests
{
    private const int Iterations = 10_000;

    [Fact]
    public void Parse_and_verify_allocate_nothing()
    {
        byte[] request = Rfc5769Vectors.Request;
        byte[] key = Rfc5769Vectors.Password;
        int ok = 0;
        for (int i = 0; i < 100; i++)
        {
            ok += ParseAndVerify(request, key);
        }
        long allocated = AllocationMeter.Measure(() =>
        {
            for (int i = 0; i < Iterations; i++)
            {
                ok += ParseAndVerify(request, key);
            }
        }, out int runs);
        Assert.Equal(0, allocated);
        Assert.Equal(((runs * Iterations) + 100) * 2, ok);
    }

    [Fact]
    public void Writing_a_binding_response_allocates_nothing()
    {
        SocketAddress from = new IPEndPoint(IPAddress.Parse("2001:db8::1"), 4444).Serialize();
        byte[] buffer = new byte[256];
        byte[] key = Rfc5769Vectors.Password;
        byte[] tid = Rfc5769Vectors.TransactionId;
        int total = 0;
        for (int i = 0; i < 100; i++)
        {
            total += Write(buffer, tid, from, key);
        }
        long allocated = AllocationMeter.Measure(() =>
        {
            for (int i = 0; i < Iterations; i++)
            {
                total += Write(buffer, tid, from, key);
            }
        });
        Assert.Equal(0, allocated);
        Assert.True(total > 0);
    }

    private static int ParseAndVerify(byte[] request, byte[] key)
    {
        if (StunMessage.TryParse(request, out var m) != StunParseStatus.Ok)
        {
            return 0;
        }
        int ok = m.VerifyMessageIntegrity(key) ? 1 : 0;
        ok += m.VerifyFingerprint() ? 1 : 0;
        _ = m.Username;
        _ = m.TryGetPriority(out _);
        _ = m.HasUseCandidate;
        return ok;
    }

    private static int Write(byte[] buffer, byte[] tid, SocketAddress from, byte[] key)
    {
        var w = new StunMessageWriter(buffer);
        w.Begin(StunMessageType.BindingSuccessResponse, tid);
        w.AddXorMappedAddress(from);
        w.AddMessageIntegrity(key);
        w.AddFingerprint();
        return w.Length;
    }
}
