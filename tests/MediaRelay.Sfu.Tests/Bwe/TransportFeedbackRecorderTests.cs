using MediaRelay.Rtp.Rtcp;
using MediaRelay.Sfu.Bwe;
using Result = MediaRelay.Rtp.Rtcp.RtcpTransportFeedback.PacketResult;

namespace MediaRelay.Sfu.Tests.Bwe;

public class TransportFeedbackRecorderTests
{
    private static Result[] Read(byte[] wire, int written, out RtcpTransportFeedback view)
    {
        Assert.True(RtcpTransportFeedback.TryParse(wire.AsSpan(0, written), out view));
        var results = new Result[view.StatusCount];
        Assert.True(view.TryRead(results, out _));
        return results;
    }

    [Fact]
    public void ReportsReceivedLostAndReorderedSinceLastFeedback()
    {
        var recorder = new TransportFeedbackRecorder();
        byte[] wire = new byte[TransportFeedbackRecorder.MaxFeedbackLength];
        Assert.Equal(0, recorder.WriteFeedback(wire, 1, 2));
        recorder.OnPacket(65_534, 1_000_000);
        recorder.OnPacket(1, 1_003_000);      // 65 535 and 0 missing; wraps
        recorder.OnPacket(65_535, 1_004_000); // reordered: arrives late, negative delta
        int written = recorder.WriteFeedback(wire, 7, 8);
        Result[] results = Read(wire, written, out var view);
        Assert.Equal(7u, view.SenderSsrc);
        Assert.Equal(8u, view.MediaSsrc);
        Assert.Equal(0, view.FeedbackPacketCount);
        Assert.Equal(
            new Result[] { new(65_534, true, 1_000_000), new(65_535, true, 1_004_000), new(0, false, 0), new(1, true, 1_003_000) },
            results.Select(r => r with { ArrivalMicros = r.Received ? r.ArrivalMicros % 64_000 + 1_000_000 - (1_000_000 % 64_000) : 0 }));

        Assert.Equal(0, recorder.WriteFeedback(wire, 7, 8)); // nothing new
        recorder.OnPacket(0, 1_100_000);   // already reported as lost: ignored
        recorder.OnPacket(2, 1_100_000);
        recorder.OnPacket(3, 1_101_000);
        written = recorder.WriteFeedback(wire, 7, 8);
        results = Read(wire, written, out view);
        Assert.Equal(1, view.FeedbackPacketCount);
        Assert.Equal(2, view.BaseSequence);
        Assert.Equal(2, results.Length);
        Assert.Equal(1_000, results[1].ArrivalMicros - results[0].ArrivalMicros);
        Assert.Equal(2, recorder.FeedbackPacketsWritten);
    }

    [Fact]
    public void WindowIsBounded()
    {
        var recorder = new TransportFeedbackRecorder();
        byte[] wire = new byte[TransportFeedbackRecorder.MaxFeedbackLength];
        for (int i = 0; i < 2_000; i++)
        {
            recorder.OnPacket((ushort)i, 5_000_000 + (i * 100L));
        }
        int written = recorder.WriteFeedback(wire, 1, 2);
        Result[] results = Read(wire, written, out var view);
        Assert.Equal(TransportFeedbackRecorder.WindowSize, results.Length);
        Assert.Equal(2_000 - TransportFeedbackRecorder.WindowSize, view.BaseSequence);
        Assert.All(results, r => Assert.True(r.Received));
        Assert.True(written <= TransportFeedbackRecorder.MaxFeedbackLength);
    }
}
