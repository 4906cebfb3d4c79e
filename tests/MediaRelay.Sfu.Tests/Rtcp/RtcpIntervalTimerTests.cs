using System.Diagnostics;
using MediaRelay.Sfu.Rtcp;

namespace MediaRelay.Sfu.Tests.Rtcp;

public class RtcpIntervalTimerTests
{
    private static readonly long T0 = TestMedia.T0;

    [Fact]
    public void FirstReportIsDueAtOnceThenAfterTheRandomisedInterval()
    {
        var timer = new RtcpIntervalTimer(TimeSpan.FromSeconds(1), new Random(42));
        Assert.True(timer.IsDue(T0));
        Assert.True(timer.IsDue(0));

        timer.Reset(T0);
        Assert.False(timer.IsDue(T0));
        Assert.False(timer.IsDue(T0 + TestMedia.Milliseconds(499)));
        Assert.True(timer.IsDue(T0 + TestMedia.Milliseconds(1500)));
        Assert.True(timer.IsDue(timer.NextDue));
        Assert.False(timer.IsDue(timer.NextDue - 1));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(5000)]
    public void IntervalsSpreadOverHalfToOneAndAHalfTimes(int intervalMs)
    {
        var timer = new RtcpIntervalTimer(TimeSpan.FromMilliseconds(intervalMs), new Random(1));
        long interval = TestMedia.Milliseconds(intervalMs);
        long now = T0;
        int below = 0;
        int above = 0;
        double sum = 0;
        const int Rounds = 2000;
        for (int i = 0; i < Rounds; i++)
        {
            timer.Reset(now);
            long wait = timer.NextDue - now;
            Assert.InRange(wait, interval / 2, interval * 3 / 2);
            if (wait < interval)
            {
                below++;
            }
            else
            {
                above++;
            }
            sum += wait;
            now = timer.NextDue;
        }
        Assert.InRange(below, Rounds / 3, Rounds * 2 / 3);
        Assert.InRange(above, Rounds / 3, Rounds * 2 / 3);
        Assert.InRange(sum / Rounds / interval, 0.95, 1.05);
    }

    [Fact]
    public void SameSeedSameSchedule()
    {
        var a = new RtcpIntervalTimer(TimeSpan.FromSeconds(1), new Random(9));
        var b = new RtcpIntervalTimer(TimeSpan.FromSeconds(1), new Random(9));
        for (int i = 0; i < 10; i++)
        {
            a.Reset(T0 + i);
            b.Reset(T0 + i);
            Assert.Equal(a.NextDue, b.NextDue);
        }
    }

    [Fact]
    public void DefaultsFollowLibwebrtcPerMediaKind()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), RtcpIntervalTimer.ForKind(MediaKind.Video, new Random(1)).Interval);
        Assert.Equal(TimeSpan.FromSeconds(5), RtcpIntervalTimer.ForKind(MediaKind.Audio, new Random(1)).Interval);
        Assert.True(Stopwatch.Frequency > 0);
    }

    [Fact]
    public void RejectsBadArguments()
    {
        Assert.Throws<ArgumentException>(() => new RtcpIntervalTimer(TimeSpan.Zero, new Random(1)));
        Assert.Throws<ArgumentNullException>(() => new RtcpIntervalTimer(TimeSpan.FromSeconds(1), null!));
    }
}
