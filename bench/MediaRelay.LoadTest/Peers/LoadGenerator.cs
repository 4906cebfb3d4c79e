using System.Diagnostics;
using MediaRelay.LoadTest.Measurement;
using MediaRelay.LoadTest.Native;

namespace MediaRelay.LoadTest.Peers;

/// <summary>
/// Runs every load peer on two threads: a sender that paces the publishers' audio (every 20 ms) and video frames
/// (30 per second at the configured bitrate) and the ICE checks, and a receiver that drains all sockets through
/// epoll + recvmmsg. Publishers are spread evenly over the 20 ms / 33 ms periods so their bursts do not line up.
/// Peers are added while the load runs (the ramp adds rooms); each thread reads the current peer array.
/// </summary>
internal sealed class LoadGenerator : IDisposable
{
    private static readonly long AudioPeriod = Stopwatch.Frequency / 50;
    private static readonly long VideoPeriod = Stopwatch.Frequency / 30;
    private static readonly long ServicePeriod = Stopwatch.Frequency / 50;

    private readonly LinuxDatagramPoller _poller = new();
    private readonly object _gate = new();
    private readonly Thread _sender;
    private readonly Thread _receiver;
    private volatile LoadPeer[] _peers = [];
    private volatile Schedule[] _schedules = [];
    private volatile bool _stopping;

    public LoadGenerator(int videoBitrate, int sampleEvery)
    {
        VideoFrameBytes = videoBitrate / 8 / 30;
        Totals = new ReceiveTotals(sampleEvery);
        _sender = new Thread(SendLoop) { IsBackground = true, Name = "load-send", Priority = ThreadPriority.AboveNormal };
        _receiver = new Thread(ReceiveLoop) { IsBackground = true, Name = "load-receive", Priority = ThreadPriority.AboveNormal };
        _sender.Start();
        _receiver.Start();
    }

    public int VideoFrameBytes { get; }

    public ReceiveTotals Totals { get; }

    public IReadOnlyList<LoadPeer> Peers => _peers;

    /// <summary>Sender wake-ups that found a send more than 5 ms overdue (the generator's own lateness).</summary>
    public long LateSends;

    public void Add(LoadPeer peer)
    {
        lock (_gate)
        {
            if (peer.Index != _peers.Length)
            {
                throw new InvalidOperationException("Peers are added in index order.");
            }
            long now = Stopwatch.GetTimestamp();
            int publishers = 0;
            foreach (LoadPeer p in _peers)
            {
                publishers += p.Kind == PeerKind.Publisher ? 1 : 0;
            }
            // Golden-ratio phases: each new publisher lands in the largest gap of the audio and video periods.
            double phase = (publishers * 0.6180339887) % 1.0;
            var schedule = new Schedule(peer)
            {
                NextAudio = now + (long)(phase * AudioPeriod),
                NextVideo = now + (long)(phase * VideoPeriod),
                NextService = now,
            };
            _peers = [.. _peers, peer];
            _schedules = [.. _schedules, schedule];
            _poller.Add(peer.FileDescriptor, (ulong)peer.Index);
        }
    }

    private void SendLoop()
    {
        byte[] scratch = new byte[2048];
        while (!_stopping)
        {
            long now = Stopwatch.GetTimestamp();
            Schedule[] schedules = _schedules;
            foreach (Schedule s in schedules)
            {
                if (now >= s.NextService)
                {
                    s.NextService = now + ServicePeriod;
                    s.Peer.Service(now, scratch);
                }
                if (s.Peer.Kind != PeerKind.Publisher)
                {
                    continue;
                }
                if (now >= s.NextAudio)
                {
                    if (now - s.NextAudio > Stopwatch.Frequency / 200)
                    {
                        LateSends++;
                    }
                    s.NextAudio += AudioPeriod;
                    if (now - s.NextAudio > AudioPeriod * 5)
                    {
                        s.NextAudio = now + AudioPeriod; // fell far behind (start-up, a stall): do not burst
                    }
                    s.Peer.SendAudio(scratch);
                }
                if (now >= s.NextVideo)
                {
                    s.NextVideo += VideoPeriod;
                    if (now - s.NextVideo > VideoPeriod * 5)
                    {
                        s.NextVideo = now + VideoPeriod;
                    }
                    s.Peer.SendVideoFrame(scratch, VideoFrameBytes);
                }
            }
            Thread.Sleep(1);
        }
    }

    private void ReceiveLoop()
    {
        var sink = new Sink(this);
        while (!_stopping)
        {
            Totals.Datagrams += _poller.Poll(50, ref sink);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _sender.Join(TimeSpan.FromSeconds(2));
        _receiver.Join(TimeSpan.FromSeconds(2));
        foreach (LoadPeer peer in _peers)
        {
            peer.Dispose();
        }
        _poller.Dispose();
    }

    private sealed class Schedule(LoadPeer peer)
    {
        public LoadPeer Peer { get; } = peer;
        public long NextAudio;
        public long NextVideo;
        public long NextService;
    }

    private readonly struct Sink(LoadGenerator generator) : IDatagramSink
    {
        public int FileDescriptorOf(ulong token)
        {
            LoadPeer[] peers = generator._peers;
            return token < (ulong)peers.Length ? peers[token].FileDescriptor : -1;
        }

        public void OnDatagram(ulong token, Span<byte> datagram, long arrivalTicks)
        {
            if (datagram.Length > 0)
            {
                generator._peers[token].OnDatagram(datagram, generator.Totals, arrivalTicks);
            }
        }
    }
}
