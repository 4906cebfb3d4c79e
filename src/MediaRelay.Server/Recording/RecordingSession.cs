using System.Diagnostics;
using MediaRelay.Recording.Capture;
using MediaRelay.Recording.Crypto;
using MediaRelay.Recording.Journal;
using MediaRelay.Sfu;
using SfuTrackSource = MediaRelay.Sfu.TrackSource;
using JournalTrackSource = MediaRelay.Recording.Journal.TrackSource;

namespace MediaRelay.Server.Recording;

/// <summary>
/// One running recording of a room: a tap queue and writer thread, and one journal per recorded producer (its highest
/// flowing layer). Producers that join later are added as they appear; each gets a key-frame request so its video starts
/// at a key frame. Control plane only; the media loop sees nothing but the taps.
/// </summary>
internal sealed class RecordingSession
{
    public const int MaxTracks = 64;

    private readonly object _gate = new();
    private readonly List<(Producer Producer, ProducerTap Tap, JournalTrackSink Sink)> _tracks = [];
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

    /// <summary>Starts recording a producer (its top simulcast layer). False when stopped or out of tracks.</summary>
    public bool AddProducer(Producer producer, string participantName)
    {
        lock (_gate)
        {
            if (_stopped || _tracks.Count >= MaxTracks || _tracks.Any(t => t.Producer == producer))
            {
                return false;
            }
            int track = _tracks.Count;
            int layer = RecordedLayer(producer);
            var metadata = new TrackJournalMetadata
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
                StartedAt = DateTimeOffset.UtcNow,
            };
            string path = Path.Combine(Directory, $"track-{track:D2}{MediaRelay.Recording.Finalize.RecordingFinalizer.JournalExtension}");
            var sink = new JournalTrackSink(TrackJournalWriter.Create(path, metadata, _key), _anchorTicks, _anchorUtcMicros);
            Writer.SetSink(track, sink);
            var tap = new ProducerTap(Queue, track, layer);
            _tracks.Add((producer, tap, sink));
            producer.AttachTap(tap);
            if (producer.Kind == MediaKind.Video)
            {
                producer.RequestKeyFrame(layer);
            }
            return true;
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
            foreach (var (producer, tap, _) in _tracks)
            {
                if (producer.Tap == tap)
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

    /// <summary>
    /// The highest simulcast layer that is flowing now (a publisher's encoder may not send its top layer yet, or at
    /// all); the top layer when none has flowed yet. One layer is recorded for the whole track: switching would
    /// change SSRC, sequence and timestamps inside one journal.
    /// </summary>
    private static int RecordedLayer(Producer producer)
    {
        long now = Stopwatch.GetTimestamp();
        for (int l = producer.Layers.Count - 1; l >= 0; l--)
        {
            if (producer.Layers[l].IsActive(now))
            {
                return l;
            }
        }
        return producer.Layers.Count - 1;
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
