using MediaRelay.Recording.Media;
using MediaRelay.Rtp.Rtcp;

namespace MediaRelay.Recording.Tests.Media;

public class TrackTimelineTests
{
    private static readonly ulong BaseNtp = NtpTime.FromUnixMilliseconds(1_700_000_000_000);

    private static ulong Ntp(double secondsAfterBase) => BaseNtp + (ulong)(secondsAfterBase * 4294967296.0);

    [Fact]
    public void SenderClocksTwoSecondsApartEndUpTwoSecondsApart()
    {
        var room = new RoomTimeline();
        TrackTimeline a = room.AddTrack("alice", 48_000);
        TrackTimeline b = room.AddTrack("alice", 90_000);
        a.AddSenderReport(Ntp(0), 1000, 10_000_000);
        b.AddSenderReport(Ntp(2.0), 5000, 12_000_000);
        for (int k = 0; k < 5; k++)
        {
            long ta = a.ToRoomMicroseconds(1000 + (48_000L * k), 10_000_000 + (k * 1_000_000));
            long tb = b.ToRoomMicroseconds(5000 + (90_000L * k), 12_000_000 + (k * 1_000_000));
            Assert.InRange(tb - ta, 1_999_999, 2_000_001);
        }
    }

    [Fact]
    public void AudioAndVideoOfOneParticipantStartTogetherDespiteArrivalSkew()
    {
        var room = new RoomTimeline();
        TrackTimeline audio = room.AddTrack("p1", 48_000);
        TrackTimeline video = room.AddTrack("p1", 90_000);
        // Same capture instant in both SRs; the video SR and first frame arrive 40 ms later (bigger packets, pacing).
        audio.AddSenderReport(Ntp(0), 48_000, 1_000_000);
        video.AddSenderReport(Ntp(0), 900_000, 1_040_000);
        long firstAudio = audio.ToRoomMicroseconds(48_000, 1_000_000);
        long firstVideo = video.ToRoomMicroseconds(900_000, 1_040_000);
        Assert.InRange(firstVideo - firstAudio, -1000, 1000);
        Assert.Equal(1_000_000, firstAudio); // the least-delayed SR defines the group's offset
    }

    [Fact]
    public void ParticipantsWithDisagreeingWallClocksArePlacedByArrival()
    {
        var room = new RoomTimeline();
        TrackTimeline p = room.AddTrack("p", 48_000);
        TrackTimeline q = room.AddTrack("q", 48_000);
        p.AddSenderReport(Ntp(0), 0, 100_000);
        q.AddSenderReport(Ntp(3600 + 5), 777, 5_100_000); // q's clock is an hour ahead; q joined 5 s later
        long tp = p.ToRoomMicroseconds(0, 100_000);
        long tq = q.ToRoomMicroseconds(777, 5_100_000);
        Assert.Equal(5_000_000, tq - tp);
    }

    [Fact]
    public void TimestampWrapExtrapolatesFromTheSenderReport()
    {
        var track = new TrackTimeline(90_000);
        track.AddSenderReport(Ntp(0), 0xFFFF_FF00, 0);
        long before = track.ToRoomMicroseconds(0xFFFF_FF00, 0);
        long after = track.ToRoomMicroseconds(0x1_0000_0000 + 90_000 - 0x100, 1_000_000); // 1 s later, wrapped
        Assert.Equal(1_000_000, after - before);
    }

    [Fact]
    public void GapOfHalfASecondIsKeptWithAndWithoutSenderReports()
    {
        var withReports = new TrackTimeline(48_000);
        withReports.AddSenderReport(Ntp(0), 0, 0);
        var arrivalOnly = new TrackTimeline(48_000);
        foreach (TrackTimeline track in new[] { withReports, arrivalOnly })
        {
            var times = new List<long>();
            for (int i = 0; i < 10; i++)
            {
                times.Add(track.ToRoomMicroseconds(i * 960L, i * 20_000L));
            }
            // 600 ms outage: timestamps and arrivals jump together.
            long resumeTimestamp = (9 * 960L) + (620 * 48L);
            times.Add(track.ToRoomMicroseconds(resumeTimestamp, (9 * 20_000L) + 620_000));
            Assert.Equal(620_000, times[10] - times[9]);
            Assert.Equal(20_000, times[1] - times[0]);
        }
    }

    [Fact]
    public void ArrivalFallbackAnchorsOnTheLeastDelayedFrameAndStaysMonotonic()
    {
        var track = new TrackTimeline(90_000);
        long first = track.ToRoomMicroseconds(0, 50_000);       // first frame arrived 50 ms late
        long second = track.ToRoomMicroseconds(3000, 33_333);   // on time: anchor moves earlier
        long third = track.ToRoomMicroseconds(6000, 66_700);
        Assert.Equal(50_000, first);
        Assert.True(second > first);
        Assert.Equal(66_666, third);
        Assert.Equal(third + 1, track.ToRoomMicroseconds(6000, 66_700)); // same timestamp twice: still increasing
    }

    [Fact]
    public void BetweenTwoSenderReportsTheMappingMovesFromOneToTheOther()
    {
        var track = new TrackTimeline(90_000);
        track.AddSenderReport(Ntp(0), 0, 0);
        // The sender's RTP clock runs 0.1 % fast relative to NTP; the second SR corrects it.
        track.AddSenderReport(Ntp(10), 900_900, 10_000_000);
        Assert.Equal(0, track.ToRoomMicroseconds(0, 0)); // on a report: exactly its statement
        // Half-way (in media time) between them: the mean of the two mappings, 5.000 s and 4.990 s.
        Assert.Equal(4_995_005, track.ToRoomMicroseconds(450_000, 5_000_000));
        Assert.Equal(10_000_000, track.ToRoomMicroseconds(900_900, 10_000_000));
        Assert.Equal(11_000_000, track.ToRoomMicroseconds(900_900 + 90_000, 11_000_000)); // after the last: its own
    }

    [Theory]
    [InlineData(1_009_000)] // the report arrives after the frames sampled before it
    [InlineData(950_000)]   // it overtakes the last frames sampled before it
    public void ReportToReportNoiseMakesNoStepInTheAudio(long secondReportArrival)
    {
        // A starved sender's reports disagree by 9 ms (a forward step that would leave a 29 ms hole in 20 ms audio).
        var track = new TrackTimeline(48_000);
        track.AddSenderReport(Ntp(0), 0, 0);
        track.AddSenderReport(Ntp(1.009), 48_000, secondReportArrival);
        track.AddSenderReport(Ntp(2.009), 96_000, secondReportArrival + 1_000_000);
        long first = track.ToRoomMicroseconds(0, 0), previous = first;
        for (int i = 1; i <= 150; i++)
        {
            long time = track.ToRoomMicroseconds(i * 960L, i * 20_000L + 5_000);
            Assert.InRange(time - previous, 19_800, 20_200); // 20 ms, stretched by at most 9 ms over a second
            previous = time;
        }
        // 3 s of media: by the last report, 1 s after its 2.009 s (± NTP fraction rounding).
        Assert.InRange(previous - first, 3_008_999, 3_009_001);
    }

    [Fact]
    public void ReportsAcrossAnRtpClockJumpKeepTheStep()
    {
        var track = new TrackTimeline(48_000);
        track.AddSenderReport(Ntp(0), 0, 0);
        track.AddSenderReport(Ntp(1), 10 * 48_000, 1_000_000); // the sender's RTP clock jumped 9 s ahead
        Assert.Equal(500_000, track.ToRoomMicroseconds(24_000, 500_000)); // before the jump: the first report alone
        Assert.Equal(1_020_000, track.ToRoomMicroseconds((10 * 48_000) + 960, 1_020_000)); // after it: the second
    }
}
