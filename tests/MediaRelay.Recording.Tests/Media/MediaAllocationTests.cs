using System.Buffers.Binary;
using MediaRelay.Recording.Media;
using MediaRelay.Testing;
using static MediaRelay.Recording.Tests.Media.RtpTestPackets;

namespace MediaRelay.Recording.Tests.Media;

public class MediaAllocationTests
{
    [Fact]
    public void SteadyStateVp8AssemblyAllocatesNothingPerPacket()
    {
        // One keyframe and 29 deltas, 5 packets each; replayed with rewritten sequence numbers and timestamps.
        var packets = new List<byte[]>();
        for (int f = 0; f < 30; f++)
        {
            byte[] frame = f == 0 ? Vp8Keyframe(6000, f) : Vp8Delta(2500, f);
            packets.AddRange(Vp8Frame((ushort)(f * 5), (uint)(f * 3000), frame, 5));
        }
        var buffer = new TrackReorderBuffer();
        var assembler = new Vp8FrameAssembler();
        var timeline = new TrackTimeline(90_000);
        timeline.AddSenderReport(MediaRelay.Rtp.Rtcp.NtpTime.FromUnixMilliseconds(1_700_000_000_000), 0, 0);
        ushort sequence = 0;
        uint timestamp = 0;
        long arrival = 0;
        long frames = 0;

        void Round()
        {
            for (int i = 0; i < packets.Count; i++)
            {
                byte[] p = packets[i];
                BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), sequence++);
                BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(4), timestamp + (uint)(i / 5 * 3000));
                buffer.Push(p, arrival += 6_666);
                while (buffer.TryPop(out ReorderedPacket packet))
                {
                    assembler.Push(packet.Rtp, packet.Sequence, packet.ArrivalMicroseconds);
                    while (assembler.TryTakeFrame(out EncodedFrame frame))
                    {
                        timeline.ToRoomMicroseconds(frame.Timestamp, frame.ArrivalMicroseconds);
                        frames++;
                    }
                }
            }
            timestamp += 30 * 3000;
        }

        for (int i = 0; i < 20; i++)
        {
            Round(); // warm-up: slots and frame buffers grow
        }
        long framesBefore = frames;
        long allocated = AllocationMeter.Measure(() =>
        {
            for (int i = 0; i < 70; i++)
            {
                Round(); // 10,500 packets
            }
        }, out int runs);
        Assert.Equal(0, allocated);
        Assert.Equal(runs * 70 * 30, frames - framesBefore);
        Assert.Equal(0, assembler.FramesDropped);
    }
}
