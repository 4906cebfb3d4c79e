using MediaRelay.Rtp.Codecs;

namespace MediaRelay.Sfu.Tests;

/// <summary>
/// A paused consumer sends nothing; on resume it waits for a keyframe and continues its own sequence space with
/// no gap and its timestamps moving forward (RFC 3550 §7.2: a translator's output looks like one continuous stream).
/// </summary>
public class PauseResumeTests
{
    private readonly RecordingPublisherFeedback _feedback = new();
    private readonly Router _router = new();
    private readonly Producer _producer;
    private readonly RecordingEgress _egress = new();
    private readonly Consumer _consumer;
    private long _time = TestMedia.T0;

    public PauseResumeTests()
    {
        _producer = TestMedia.VideoProducer(_feedback);
        _router.AddProducer(_producer);
        _consumer = _router.CreateConsumer(_producer, "c", "bob", _egress, 0xC0C, 100, 300, 90000);
    }

    private void Deliver(byte[] packet, long advanceMs = 33) =>
        _producer.Deliver(packet, _time += TestMedia.Milliseconds(advanceMs));

    private List<int> SentSequences() => _egress.Rtp.ConvertAll(p => (int)TestMedia.Read(p).SequenceNumber);

    [Fact]
    public void PausedConsumerSendsNothing()
    {
        Deliver(MediaPackets.Vp8KeyFrame(1, 0));
        _consumer.Pause();
        Assert.True(_consumer.Paused);
        for (ushort s = 2; s < 50; s++)
        {
            Deliver(s % 10 == 0 ? MediaPackets.Vp8KeyFrame(s, s * 3000u) : MediaPackets.Vp8Delta(s, s * 3000u));
        }

        Assert.Single(_egress.Rtp);
        Assert.Equal(1, _consumer.PacketsSent);
    }

    [Fact]
    public void ResumeRequestsAKeyFrameWaitsForItAndContinuesTheSequence()
    {
        Deliver(MediaPackets.Vp8KeyFrame(1000, 0));
        Deliver(MediaPackets.Vp8Delta(1001, 3000));
        Deliver(MediaPackets.Vp8Delta(1002, 6000));
        int plisBeforePause = _feedback.Count;

        _consumer.Pause();
        for (ushort s = 1003; s < 1100; s++)
        {
            Deliver(s == 1050 ? MediaPackets.Vp8KeyFrame(s, (s - 1000u) * 3000) : MediaPackets.Vp8Delta(s, (s - 1000u) * 3000));
        }
        Assert.Equal(3, _egress.Rtp.Count);

        _consumer.Resume();
        Assert.False(_consumer.Paused);
        Deliver(MediaPackets.Vp8Delta(1100, 300000), advanceMs: 600);   // dropped, flushes the keyframe request
        Deliver(MediaPackets.Vp8Delta(1101, 303000));
        Assert.Equal(3, _egress.Rtp.Count);
        Assert.Equal(plisBeforePause + 1, _feedback.Count);

        Deliver(MediaPackets.Vp8KeyFrame(1102, 306000));
        Deliver(MediaPackets.Vp8Continuation(1103, 306000, marker: true));
        Deliver(MediaPackets.Vp8Delta(1105, 309000)); // a loss on input stays a gap on output

        Assert.Equal([300, 301, 302, 303, 304, 306], SentSequences());
        List<uint> timestamps = _egress.Rtp.ConvertAll(p => TestMedia.Read(p).Timestamp);
        Assert.True(timestamps[3] > timestamps[2], "timestamps must move forward across the pause");
        Assert.Equal(timestamps[3], timestamps[4]);
        Assert.Equal(timestamps[3] + 3000, timestamps[5]);
        // The key frame's payload as published, but its PictureID continues the subscriber's numbering: one after
        // the last picture sent before the pause (1002), not the publisher's 1102 (RFC 7741 §4.2, Vp8Numbering).
        byte[] expected = TestMedia.PayloadOf(MediaPackets.Vp8KeyFrame(1102, 306000));
        Assert.True(Vp8PayloadDescriptor.TryParse(expected, out Vp8PayloadDescriptor published));
        Assert.Equal(1102, published.PictureId);
        expected[published.PictureIdOffset] = 0x80 | (1003 >> 8);
        expected[published.PictureIdOffset + 1] = 1003 & 0xFF;
        Assert.Equal(expected, TestMedia.Read(_egress.Rtp[3]).Payload);
    }

    [Fact]
    public void ResumeAcrossAnInputWrapAroundContinuesTheSequence()
    {
        Deliver(MediaPackets.Vp8KeyFrame(65000, 0));
        _consumer.Pause();
        Deliver(MediaPackets.Vp8Delta(65001, 3000));
        _consumer.Resume();
        Deliver(MediaPackets.Vp8KeyFrame(3, 9000), advanceMs: 600);
        Deliver(MediaPackets.Vp8Delta(4, 12000));

        Assert.Equal([300, 301, 302], SentSequences());
    }

    [Fact]
    public void ResumeWithoutPauseChangesNothing()
    {
        Deliver(MediaPackets.Vp8KeyFrame(1, 0));
        _consumer.Resume();
        Deliver(MediaPackets.Vp8Delta(2, 3000));

        Assert.Equal([300, 301], SentSequences());
    }

    [Fact]
    public void PauseBeforeTheFirstPacketStartsAtTheInitialSequence()
    {
        _consumer.Pause();
        Deliver(MediaPackets.Vp8KeyFrame(1, 0));
        _consumer.Resume();
        Deliver(MediaPackets.Vp8Delta(2, 3000), advanceMs: 600);
        Deliver(MediaPackets.Vp8KeyFrame(3, 6000));

        SentPacket first = TestMedia.Read(Assert.Single(_egress.Rtp));
        Assert.Equal((ushort)300, first.SequenceNumber);
        Assert.Equal(90000u, first.Timestamp);
    }

    /// <summary>
    /// A packet from before the resync keyframe that arrives late (reordered) must not be sent with a sequence
    /// number the subscriber already received before the pause.
    /// </summary>
    [Fact]
    public void LatePacketFromBeforeTheResyncPointDoesNotReuseASentSequenceNumber()
    {
        Deliver(MediaPackets.Vp8KeyFrame(1000, 0));
        Deliver(MediaPackets.Vp8Delta(1001, 3000));
        _consumer.Pause();
        Deliver(MediaPackets.Vp8Delta(1002, 6000));
        _consumer.Resume();
        Deliver(MediaPackets.Vp8KeyFrame(1004, 12000), advanceMs: 600);
        Deliver(MediaPackets.Vp8Delta(1003, 9000)); // reordered: older than the keyframe we resynced on
        Deliver(MediaPackets.Vp8Delta(1005, 15000));

        List<int> sequences = SentSequences();
        Assert.Equal(sequences.Count, new HashSet<int>(sequences).Count);
        Assert.Equal([300, 301, 302, 303], sequences);
    }
}
