using System.Buffers.Binary;
using MediaRelay.Core;
using MediaRelay.Recording.Capture;
using MediaRelay.Rtp;

namespace MediaRelay.Recording.Tests.Capture;

public sealed class RecordingWriterTests
{
    private sealed class ListSink(int failAfter = int.MaxValue) : ITrackSink
    {
        public List<ushort> Sequences { get; } = [];
        public List<uint> Reports { get; } = [];
        public int Flushes;
        public bool Completed;

        public void AppendRtp(ReadOnlySpan<byte> rtp, long arrivalTicks)
        {
            if (Sequences.Count >= failAfter)
            {
                throw new IOException("No space left on device");
            }
            Sequences.Add(BinaryPrimitives.ReadUInt16BigEndian(rtp[2..]));
        }

        public void AppendSenderReport(ulong ntpTimestamp, uint rtpTimestamp, long arrivalTicks) => Reports.Add(rtpTimestamp);

        public void MaybeFlush(long nowTicks) => Interlocked.Increment(ref Flushes);

        public void Complete() => Completed = true;
    }

    private static void Tap(ProducerTap tap, PacketPool pool, ushort sequence)
    {
        PooledPacket packet = pool.Rent();
        packet.Buffer[0] = 0x80;
        packet.Buffer[1] = 111;
        BinaryPrimitives.WriteUInt16BigEndian(packet.Buffer.AsSpan(2), sequence);
        packet.Length = 60;
        Assert.True(RtpPacket.TryParse(packet.Span, out RtpPacket rtp));
        tap.OnRtp(packet, rtp, 0, sequence);
        packet.Release(); // the media loop's own reference
    }

    [Fact]
    public void Packets_and_reports_reach_the_track_sinks_in_order_and_every_buffer_goes_back()
    {
        var pool = new PacketPool(256, preallocate: 16);
        var queue = new TapQueue(256);
        var audio = new ListSink();
        var video = new ListSink();
        using var writer = new RecordingWriter(queue, maxTracks: 4, "test");
        writer.SetSink(0, audio);
        writer.SetSink(1, video);
        writer.Start();
        var audioTap = new ProducerTap(queue, 0, 0);
        var videoTap = new ProducerTap(queue, 1, 0);
        for (ushort i = 0; i < 100; i++)
        {
            Tap(audioTap, pool, i);
            Tap(videoTap, pool, (ushort)(1000 + i));
        }
        audioTap.OnSenderReport(0, 1, 4800, 1);
        Thread.Sleep(250); // at least one flush check (every 100 ms)
        writer.Stop();

        Assert.Equal(Enumerable.Range(0, 100).Select(i => (ushort)i), audio.Sequences);
        Assert.Equal(Enumerable.Range(1000, 100).Select(i => (ushort)i), video.Sequences);
        Assert.Equal([4800u], audio.Reports);
        Assert.True(audio.Flushes > 0);
        Assert.True(audio.Completed && video.Completed);
        Assert.Equal(0, pool.Outstanding);
        Assert.Equal(201, writer.Written);
    }

    [Fact]
    public void A_disk_error_stops_writing_once_reports_it_and_still_releases_every_packet()
    {
        var pool = new PacketPool(256, preallocate: 16);
        var queue = new TapQueue(256);
        var sink = new ListSink(failAfter: 10);
        using var writer = new RecordingWriter(queue, maxTracks: 1, "full-disk");
        var failures = new List<Exception>();
        writer.Failed += (_, e) => failures.Add(e);
        writer.SetSink(0, sink);
        writer.Start();
        var tap = new ProducerTap(queue, 0, 0);
        for (ushort i = 0; i < 50; i++)
        {
            Tap(tap, pool, i);
        }
        writer.Stop();

        Assert.Equal(10, sink.Sequences.Count);
        IOException failure = Assert.IsType<IOException>(Assert.Single(failures));
        Assert.Contains("No space left", failure.Message);
        Assert.Same(failure, writer.Failure);
        Assert.Equal(40, writer.Discarded);
        Assert.Equal(0, pool.Outstanding);
    }
}
