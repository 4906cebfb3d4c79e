using System.Diagnostics;
using MediaRelay.Recording.Capture;
using MediaRelay.Recording.Crypto;
using MediaRelay.Recording.Journal;
using MediaRelay.Sfu;
using MediaRelay.Sfu.Recording;
using SfuTrackSource = MediaRelay.Sfu.TrackSource;
using JournalTrackSource = MediaRelay.Recording.Journal.TrackSource;

namespace MediaRelay.Server.Recording;

/// <summary>
/// One running recording of a room: a tap queue and writer thread, and one journal per recorded producer and simulcast
/// layer. Producers that join later are added as they appear; each gets a key-frame request so its video starts at a
/// key frame, and another whenever its best flowing layer changes. Control plane only; the media loop sees nothing but
/// the taps.
/// </summary>
internal sealed class RecordingSession
{
    public const int MaxTracks = 64;

    private readonly object _gate = new();
    private readonly List<(Producer Producer, ProducerTap Tap, JournalTrackSink Sink, IRtpTap Attached)> _tracks = [];
    private readonly RecordingKey? _key;
    private readonly long _anchorTicks = Stopwatch.GetTimestamp();
    private readonly long _anchorUtcMicros;
    private bool _stopped;

    public RecordingSession(string id, string roomId, string directory, RecordingKey? key, int queueCapacity, DateTimeOffset now)
    {
        Id = id;
        RoomId = roomId;
        Directory = directory;
        StartedAt = now;
        _key = key;
        _anchorUtcMicros = now.ToUnixTimeMilliseconds() * 1000;
        System.IO.Directory.CreateDirectory(directory);
        Queue = new TapQueue(RoundUpToPowerOfTwo(queueCapacity));
        Writer = new RecordingWriter(Queue, MaxTracks, id);
        Writer.Start();
    }

    public string Id { get; }
    public string RoomId { get; }
    public string Directory { get; }
    public DateTimeOffset StartedAt { get; }
    public TapQueue Queue { get; }
    public RecordingWriter Writer { get; }

    /// <summary>Packets dropped by the taps because the writer fell behind.</summary>
    public long QueueDropped
    {
        get
        {
            lock (_gate)
            {
                long dropped = 0;
                foreach (var t in _tracks)
                {
                    dropped += t.Tap.Dropped;
                }
                return dropped;
            }
        }
    }

    /// <summary>Packets taken for recording but not written: dropped at a full queue, or discarded after a failure.</summary>
    public long Dropped => QueueDropped + Writer.Discarded;

    /// <summary>RTP packets written to this recording's journals.</summary>
    public long PacketsWritten => Writer.WrittenPackets;

    /// <summary>Bytes written to this recording's journals.</summary>
    public long BytesWritten
    {
        get
        {
            lock (_gate)
            {
                long bytes = 0;
                foreach (var t in _tracks)
                {
                    bytes += t.Sink.Journal.BytesWritten;
                }
                return bytes;
            }
        }
    }

    /// <summary>
    /// Starts recording a producer: one journal per simulcast layer (or the only one), so the finalizer can take, at
    /// every moment, the best layer the publisher was sending (encoders pause their top layers when bandwidth drops).
    /// A key frame is asked for on every layer. False when stopped, already recorded or out of tracks.
    /// </summary>
    public bool AddProducer(Producer producer, string participantName)
    {
        lock (_gate)
        {
            int layers = producer.Kind == MediaKind.Video ? producer.Layers.Count : 1;
            if (_stopped || _tracks.Count + layers > MaxTracks || _tracks.Any(t => t.Producer == producer))
            {
                return false;
            }
            var taps = new List<ProducerTap>(layers);
            var added = new List<(ProducerTap Tap, JournalTrackSink Sink)>(layers);
            for (int layer = 0; layer < layers; layer++)
            {
                int track = _tracks.Count + added.Count;
                TrackJournalMetadata metadata = Metadata(producer, participantName, track, layer, layers > 1);
                string path = Path.Combine(Directory, $"track-{track:D2}{MediaRelay.Recording.Finalize.RecordingFinalizer.JournalExtension}");
                var sink = new JournalTrackSink(TrackJournalWriter.Create(path, metadata, _key), _anchorTicks, _anchorUtcMicros);
                Writer.SetSink(track, sink);
                var tap = new ProducerTap(Queue, track, layer);
                taps.Add(tap);
                added.Add((tap, sink));
            }
            IRtpTap attached = layers == 1 ? taps[0] : new LayeredTap(taps);
            foreach (var (tap, sink) in added)
            {
                _tracks.Add((producer, tap, sink, attached));
            }
            producer.AttachTap(attached);
            if (producer.Kind == MediaKind.Video)
            {
                producer.RequestKeyFrame();
                _bestLayer[producer] = -1;
                _layerWatch ??= new Timer(_ => WatchLayers(), null, LayerWatchPeriod, LayerWatchPeriod);
            }
            return true;
        }
    }

    private TrackJournalMetadata Metadata(Producer producer, string participantName, int track, int layer, bool simulcast) => new()
    {
        RecordingId = Id,
        TrackId = track.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" + producer.Kind.ToString().ToLowerInvariant(),
        ParticipantId = producer.ParticipantId,
        ParticipantName = participantName,
        Kind = producer.Kind == MediaKind.Audio ? TrackMediaKind.Audio : TrackMediaKind.Video,
        Source = producer.Source switch
        {
            SfuTrackSource.Microphone => JournalTrackSource.Microphone,
            SfuTrackSource.Screen => JournalTrackSource.Screen,
            _ => JournalTrackSource.Camera,
        },
        Codec = producer.Codec.Name,
        PayloadType = producer.Codec.PayloadType,
        RedPayloadType = producer.RedPayloadType,
        ClockRate = producer.Codec.ClockRate,
        Channels = producer.Codec.Channels,
        Ssrc = producer.Layers[layer].Ssrc,
        ProducerId = simulcast ? producer.Id : null,
        Layer = layer,
        StartedAt = DateTimeOffset.UtcNow,
    };

    private static readonly TimeSpan LayerWatchPeriod = TimeSpan.FromMilliseconds(200);
    private static readonly long FlowingTicks = Stopwatch.Frequency * 3 / 10;
    private readonly Dictionary<Producer, int> _bestLayer = [];
    private Timer? _layerWatch;

    /// <summary>
    /// When the best layer a video publisher is sending changes (its encoder paused or resumed a layer), asks for a
    /// key frame on the new one: the finalizer can only switch layers at a key frame.
    /// </summary>
    private void WatchLayers()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }
            long now = Stopwatch.GetTimestamp();
            foreach (Producer producer in _bestLayer.Keys.ToList())
            {
                int best = -1;
                for (int l = producer.Layers.Count - 1; l >= 0 && best < 0; l--)
                {
                    long last = producer.Layers[l].LastPacketTimestamp;
                    if (last != 0 && now - last < FlowingTicks)
                    {
                        best = l;
                    }
                }
                if (best >= 0 && best != _bestLayer[producer])
                {
                    if (_bestLayer[producer] >= 0)
                    {
                        producer.RequestKeyFrame(best);
                    }
                    _bestLayer[producer] = best;
                }
            }
        }
    }

    /// <summary>Detaches every tap, then drains and completes the journals (blocks until the writer is done).</summary>
    public void Stop()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }
            _stopped = true;
            _layerWatch?.Dispose();
            foreach (var (producer, _, _, attached) in _tracks)
            {
                if (producer.Tap == attached)
                {
                    producer.AttachTap(null);
                }
            }
        }
        Writer.Stop();
    }

    public IReadOnlyList<(int Track, Producer Producer, ProducerTap Tap, JournalTrackSink Sink)> Tracks
    {
        get
        {
            lock (_gate)
            {
                return [.. _tracks.Select(t => (t.Tap.Track, t.Producer, t.Tap, t.Sink))];
            }
        }
    }

    private static int RoundUpToPowerOfTwo(int value)
    {
        int capacity = 2;
        while (capacity < value)
        {
            capacity <<= 1;
        }
        return capacity;
    }
}
