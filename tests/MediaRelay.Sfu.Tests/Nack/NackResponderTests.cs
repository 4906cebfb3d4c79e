using MediaRelay.Sfu.Nack;
using MediaRelay.Testing;

namespace MediaRelay.Sfu.Tests.Nack;

public class NackResponderTests
{
    private static long Ms(long ms) => TestMedia.T0 + TestMedia.Milliseconds(ms);

    [Fact]
    public void SameSequenceIsNotResentWithinHalfAnRtt()
    {
        var responder = new NackResponder();
        responder.SetRtt(TimeSpan.FromMilliseconds(200));
        responder.BeginNack();
        Assert.True(responder.ShouldResend(500, Ms(0)));
        Assert.True(responder.ShouldResend(501, Ms(0)));
        responder.BeginNack();
        Assert.False(responder.ShouldResend(500, Ms(99)));
        Assert.True(responder.ShouldResend(500, Ms(100)));
        Assert.Equal(3, responder.Resent);
        Assert.Equal(1, responder.Throttled);
    }

    [Fact]
    public void ThrottleFollowsTheRttAndWrapsAround()
    {
        var responder = new NackResponder(capacity: 16);
        responder.SetRtt(TimeSpan.FromMilliseconds(40));
        Assert.True(responder.ShouldResend(65535, Ms(0)));
        Assert.True(responder.ShouldResend(15, Ms(1))); // same slot as 65535: a different number
        Assert.True(responder.ShouldResend(65535, Ms(2))); // slot now holds 15: allowed (cannot tell)
        Assert.False(responder.ShouldResend(65535, Ms(21)));
        Assert.True(responder.ShouldResend(65535, Ms(22)));
    }

    [Fact]
    public void PerNackBudgetLimitsOneNack()
    {
        var responder = new NackResponder(maxPerNack: 3);
        responder.BeginNack();
        int allowed = 0;
        for (ushort s = 0; s < 10; s++)
        {
            allowed += responder.ShouldResend(s, Ms(0)) ? 1 : 0;
        }
        Assert.Equal(3, allowed);
        Assert.Equal(7, responder.OverBudget);
        responder.BeginNack();
        Assert.True(responder.ShouldResend(3, Ms(1))); // refused last time, not throttled
    }

    [Fact]
    public void PerSecondBudgetRefillsOverTime()
    {
        var responder = new NackResponder(maxPerNack: 1000, maxPerSecond: 100);
        responder.BeginNack();
        int allowed = 0;
        for (int s = 0; s < 300; s++)
        {
            allowed += responder.ShouldResend((ushort)s, Ms(0)) ? 1 : 0;
        }
        Assert.Equal(100, allowed); // a one-second burst

        responder.BeginNack();
        allowed = 0;
        for (int s = 300; s < 400; s++)
        {
            allowed += responder.ShouldResend((ushort)s, Ms(100)) ? 1 : 0;
        }
        Assert.Equal(10, allowed); // 100 ms of refill at 100/s

        responder.BeginNack();
        allowed = 0;
        for (int s = 400; s < 700; s++)
        {
            allowed += responder.ShouldResend((ushort)s, Ms(5_000)) ? 1 : 0;
        }
        Assert.Equal(100, allowed); // the bucket never holds more than one second's worth
    }

    [Fact]
    public void ShouldResendAllocatesNothing()
    {
        var responder = new NackResponder(maxPerNack: 16, maxPerSecond: 2000);
        responder.SetRtt(TimeSpan.FromMilliseconds(150));
        long resent = 0;
        void Run(int from, int count)
        {
            for (int i = from; i < from + count; i++)
            {
                if (i % 8 == 0)
                {
                    responder.BeginNack();
                }
                resent += responder.ShouldResend((ushort)(i / 2), Ms(i)) ? 1 : 0;
            }
        }
        Run(0, 2_000);
        int next = 2_000;
        long allocated = AllocationMeter.Measure(() =>
        {
            Run(next, 10_000);
            next += 10_000;
        });
        Assert.Equal(0, allocated);
        Assert.True(resent > 0);
        Assert.True(responder.Throttled > 0);
    }
}
