using System.Collections.Concurrent;
using MediaRelay.Recording.Catalog;
using MediaRelay.Recording.Crypto;
using MediaRelay.Recording.Finalize;
using MediaRelay.Recording.Journal;
using MediaRelay.Server.Diagnostics;
using MediaRelay.Server.Options;
using MediaRelay.Server.Rooms;
using MediaRelay.Sfu;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaRelay.Server.Recording;

/// <summary>
/// Starts and stops room recordings under the consent rules, attaches taps to the producers of consenting
/// participants (also those who join or consent later), finalizes stopped recordings in the background, and at
/// start-up finalizes the journals a crash left behind. Every start, stop, consent, failure and download is audited.
/// </summary>
public sealed partial class RecordingManager(IOptions<MediaRelayOptions> options, RoomRegistry rooms, TimeProvider time,
    IHostEnvironment environment, ILogger<RecordingManager> logger) : IHostedService, IRoomRecorder
{
    private readonly ConcurrentDictionary<string, RecordingSession> _byRoom = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _finalizing = new(StringComparer.Ordinal);
    private RecordingCatalog? _catalog;
    private RecordingKey? _key;
    private string _root = "";
    private Timer? _janitor;

    public RecordingCatalog Catalog => _catalog ?? throw new InvalidOperationException("The recording manager has not started.");

    public IReadOnlyList<RecordingKey> Keys => _key is null ? [] : [_key];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        MediaRelayOptions o = options.Value;
        _root = Path.GetFullPath(o.Recording.Directory ?? Path.Combine(o.DataDirectory, "recordings"));
        Directory.CreateDirectory(_root);
        _catalog = new RecordingCatalog(Path.Combine(Path.GetFullPath(o.DataDirectory), "recordings.db"));
        if (!string.IsNullOrWhiteSpace(o.Recording.Key))
        {
            _key = RecordingKey.FromBase64(o.Recording.Key);
        }
        else if (o.Recording.DevelopmentKey ?? o.Auth.DevelopmentTokens ?? environment.IsDevelopment())
        {
            _key = RecordingKeyFile.LoadOrCreateDevelopmentKey(Path.Combine(Path.GetFullPath(o.DataDirectory), "recording.key"));
        }
        else
        {
            LogUnencrypted(logger);
        }
        foreach (RecordingEntry orphan in Catalog.List(state: RecordingState.Recording))
        {
            // The counts a clean stop takes from the session, read back from the journals; stopped when the last
            // packet was journaled.
            var (journaled, lastArrival) = JournalCensus.Read(Path.Combine(_root, orphan.Id, "journals"), Keys);
            foreach (JournalCensus.Track track in journaled)
            {
                Catalog.UpsertTrack(TrackEntryOf(orphan.Id, track.Number, track.Metadata, track.Packets, track.Bytes, 0));
            }
            Catalog.MarkStopped(orphan.Id, RecordingState.Finalizing, lastArrival ?? time.GetUtcNow(), "recovery", "the server stopped while recording");
            Audit("system", "recovered", orphan.Id, "finalizing journals left by a crash");
            BeginFinalize(orphan.Id, writerFailure: null);
        }
        _janitor = new Timer(_ => CheckSessions(), null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _janitor?.Dispose();
        foreach (RecordingSession session in _byRoom.Values)
        {
            Stop(session.Id, "server-shutdown");
        }
        await Task.WhenAny(Task.WhenAll(_finalizing.Values), Task.Delay(TimeSpan.FromSeconds(20), cancellationToken));
    }

    /// <summary>Records a participant's (or an operator's) consent; adds the participant's producers to a running recording.</summary>
    public void RecordConsent(ConsultationRoom room, Participant participant, string givenBy, string? reason)
    {
        Catalog.RecordConsent(new ConsentEntry(room.Id, participant.Id, participant.Name, time.GetUtcNow(), givenBy, reason));
        Audit(givenBy, "consent", null, $"{room.Id}/{participant.Id} {participant.Name}" + (reason is null ? "" : ": " + reason));
        if (_byRoom.TryGetValue(room.Id, out RecordingSession? session))
        {
            AddProducers(session, room, participant.Id);
        }
        else if (options.Value.Recording.AutoRecord && MissingConsent(room).Count == 0)
        {
            Start(room.Id, "auto", null, null, out _);
        }
    }

    /// <summary>Participants in the room without recorded consent.</summary>
    public IReadOnlyList<Participant> MissingConsent(ConsultationRoom room)
    {
        var consented = Catalog.Consents(room.Id).Select(c => c.ParticipantId).ToHashSet(StringComparer.Ordinal);
        return [.. room.Participants.Where(p => !consented.Contains(p.Id))];
    }

    public StartOutcome Start(string roomId, string actor, string? operatorName, string? operatorReason, out RecordingEntry? entry)
    {
        entry = null;
        if (!rooms.TryGet(roomId, out ConsultationRoom room) || room.IsEmpty)
        {
            return StartOutcome.NoSuchRoom;
        }
        if (_byRoom.ContainsKey(roomId))
        {
            return StartOutcome.AlreadyRecording;
        }
        bool byOperator = operatorName is not null && !string.IsNullOrWhiteSpace(operatorReason);
        if (byOperator)
        {
            foreach (Participant p in MissingConsent(room)) // a participant's own consent stays on record as theirs
            {
                Catalog.RecordConsent(new ConsentEntry(roomId, p.Id, p.Name, time.GetUtcNow(), "operator:" + operatorName, operatorReason));
            }
        }
        else if (MissingConsent(room).Count > 0)
        {
            return StartOutcome.ConsentMissing;
        }
        string id = time.GetUtcNow().ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
        var session = new RecordingSession(id, roomId, Path.Combine(_root, id, "journals"), _key, options.Value.Recording.QueueCapacity, time.GetUtcNow());
        if (!_byRoom.TryAdd(roomId, session))
        {
            session.Stop();
            return StartOutcome.AlreadyRecording;
        }
        session.Writer.Failed += (_, e) => OnWriterFailed(session, e);
        RecordingMetrics.Started(session);
        entry = new RecordingEntry(id, roomId, RecordingState.Recording, session.StartedAt, null, actor, null,
            byOperator ? "operator" : "participants", byOperator ? operatorReason : null, null, 0, 0, _key?.IdHex);
        Catalog.AddRecording(entry);
        Audit(actor, "start", id, byOperator ? $"operator consent by {operatorName}: {operatorReason}" : "every participant consented");
        room.Recorder = this;
        AddProducers(session, room, participantId: null);
        room.BroadcastRecording(true);
        LogStarted(logger, id, roomId, actor);
        return StartOutcome.Started;
    }

    /// <summary>Stops a running recording and finalizes it in the background. False when it is not running.</summary>
    public bool Stop(string id, string actor)
    {
        RecordingSession? session = _byRoom.Values.FirstOrDefault(s => s.Id == id);
        if (session is null || !_byRoom.TryRemove(session.RoomId, out _))
        {
            return false;
        }
        session.Stop();
        RecordingMetrics.Ended(session);
        // "finalizing" until the files are made, also after a writer failure: what was journaled still becomes files.
        string? failure = session.Writer.Failure?.Message;
        Catalog.MarkStopped(id, RecordingState.Finalizing, time.GetUtcNow(), actor, failure);
        foreach (var (track, _, tap, sink) in session.Tracks)
        {
            long written = sink.RtpPackets;
            Catalog.UpsertTrack(TrackEntryOf(id, track, sink.Journal.Metadata, written, sink.Journal.BytesWritten,
                tap.Dropped + Math.Max(0, tap.Queued - written)));
        }
        Audit(actor, "stop", id, null);
        if (rooms.TryGet(session.RoomId, out ConsultationRoom room))
        {
            room.BroadcastRecording(false);
        }
        BeginFinalize(id, failure);
        return true;
    }

    /// <summary>The finalize task of a recording, if one ran or runs in this process (tests and shutdown wait on it).</summary>
    public Task? Finalizing(string id) => _finalizing.TryGetValue(id, out Task? task) ? task : null;

    public bool IsRecording(string roomId) => _byRoom.ContainsKey(roomId);

    void IRoomRecorder.OnProducerAdded(ConsultationRoom room, Producer producer)
    {
        if (_byRoom.TryGetValue(room.Id, out RecordingSession? session))
        {
            AddProducers(session, room, producer.ParticipantId);
        }
    }

    /// <summary>Opens a finished file for download (decrypted as it streams) and audits who took it.</summary>
    public Stream? OpenFile(string id, string name, string actor)
    {
        FileEntry? file = Catalog.Files(id).FirstOrDefault(f => f.Name == name);
        if (file is null)
        {
            return null;
        }
        string path = Path.Combine(_root, id, "files", file.Encrypted ? name + ".enc" : name);
        Audit(actor, "download", id, name);
        return file.Encrypted ? ChunkedFileReadStream.Open(path, Keys) : File.OpenRead(path);
    }

    /// <summary>Where a recording's journals ("journals") and finished files ("files") live.</summary>
    public string RecordingDirectory(string id) => Path.Combine(_root, id);

    /// <summary>
    /// Writes a finished recording's files as plaintext into <paramref name="directory"/> (the export command), and
    /// audits it. Returns the paths written; empty when the recording has no files (unknown, or not finalized yet).
    /// </summary>
    public async Task<IReadOnlyList<string>> ExportAsync(string id, string directory, string actor, CancellationToken cancel = default)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (FileEntry file in Catalog.Files(id))
        {
            string path = Path.Combine(directory, file.Name);
            string sealedPath = Path.Combine(_root, id, "files", file.Encrypted ? file.Name + ".enc" : file.Name);
            await using (Stream source = file.Encrypted ? ChunkedFileReadStream.Open(sealedPath, Keys) : File.OpenRead(sealedPath))
            await using (FileStream target = File.Create(path))
            {
                await source.CopyToAsync(target, cancel);
            }
            written.Add(path);
        }
        if (written.Count > 0)
        {
            Audit(actor, "export", id, $"{written.Count} files to {directory}");
        }
        return written;
    }

    private void AddProducers(RecordingSession session, ConsultationRoom room, string? participantId)
    {
        var consented = Catalog.Consents(room.Id).Select(c => c.ParticipantId).ToHashSet(StringComparer.Ordinal);
        foreach (Producer producer in room.Router.Producers)
        {
            if ((participantId is null || producer.ParticipantId == participantId) && consented.Contains(producer.ParticipantId))
            {
                string name = room.Participants.FirstOrDefault(p => p.Id == producer.ParticipantId)?.Name ?? producer.ParticipantId;
                if (session.AddProducer(producer, name))
                {
                    // Listed from the start, so a crash still leaves the catalog knowing what was being recorded.
                    foreach (var (track, _, _, sink) in session.Tracks.Where(t => t.Producer == producer))
                    {
                        Catalog.UpsertTrack(TrackEntryOf(session.Id, track, sink.Journal.Metadata, 0, 0, 0));
                    }
                }
            }
        }
    }

    private static TrackEntry TrackEntryOf(string id, int track, TrackJournalMetadata metadata, long packets, long bytes, long dropped) =>
        new(id, track, metadata.ParticipantId, metadata.ParticipantName, metadata.Kind.ToString().ToLowerInvariant(),
            metadata.Source.ToString().ToLowerInvariant(), metadata.Codec, packets, bytes, dropped);

    /// <param name="writerFailure">Why the recording stopped early (the disk filled), or null: then the recording ends
    /// "failed" with that error even when its files are made.</param>
    private void BeginFinalize(string id, string? writerFailure)
    {
        _finalizing[id] = Task.Run(() =>
        {
            string directory = Path.Combine(_root, id);
            try
            {
                FinalizedRecording result = new RecordingFinalizer(Keys, _key).Finalize(Path.Combine(directory, "journals"), Path.Combine(directory, "files"));
                foreach (FinalizedFile file in result.Files)
                {
                    Catalog.AddFile(new FileEntry(id, file.Name, file.Scope, file.Container, file.SizeBytes, file.Encrypted));
                }
                RecordingState state = writerFailure is null ? RecordingState.Complete : RecordingState.Failed;
                Catalog.MarkFinished(id, state, (long)result.Duration.TotalMilliseconds, result.Files.Sum(f => f.SizeBytes), null);
                Audit("system", "finalized", id, $"{result.Files.Count} files, {result.Duration.TotalSeconds:F1} s");
            }
            catch (Exception e) when (e is IOException or RecordingFormatException or MediaRelay.Recording.Native.MediaMuxerException or NotSupportedException or UnauthorizedAccessException)
            {
                RecordingMetrics.Failed("finalize");
                Catalog.MarkFinished(id, RecordingState.Failed, 0, 0,
                    (writerFailure is null ? "" : writerFailure + "; then ") + "finalizing failed: " + e.Message);
                Audit("system", "failed", id, "finalizing: " + e.Message);
                LogFinalizeFailed(logger, id, e);
            }
        });
    }

    private void OnWriterFailed(RecordingSession session, Exception e)
    {
        bool diskFull = e is RecordingStorageException { IsDiskFull: true };
        RecordingMetrics.Failed(diskFull ? "disk_full" : "io_error");
        LogWriterFailed(logger, session.Id, session.RoomId, e.Message);
        Audit("system", "failed", session.Id, e.Message);
        // Not on the writer thread: Stop waits for that thread to finish.
        Task.Run(() =>
        {
            try
            {
                Stop(session.Id, "system:" + (diskFull ? "disk-full" : "io-error"));
            }
            catch (Exception failure) when (failure is IOException or Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
            {
                LogStopFailed(logger, session.Id, failure);
            }
        });
    }

    private readonly ConcurrentDictionary<string, long> _alarmedDrops = new(StringComparer.Ordinal);

    private void CheckSessions()
    {
        foreach (RecordingSession session in _byRoom.Values)
        {
            if (!rooms.TryGet(session.RoomId, out ConsultationRoom room) || room.IsEmpty)
            {
                Stop(session.Id, "auto:room-empty");
                continue;
            }
            long dropped = session.QueueDropped;
            if (dropped > _alarmedDrops.GetValueOrDefault(session.Id))
            {
                _alarmedDrops[session.Id] = dropped;
                LogQueueFull(logger, session.Id, dropped);
                Audit("system", "alarm", session.Id, $"the disk fell behind: {dropped} packets dropped so far");
            }
        }
    }

    private void Audit(string actor, string action, string? id, string? detail) =>
        Catalog.Audit(actor, action, id, detail, time.GetUtcNow());

    [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "Recording {Id} of room {Room} started by {Actor}")]
    private static partial void LogStarted(ILogger logger, string id, string room, string actor);

    [LoggerMessage(EventId = 601, Level = LogLevel.Error, Message = "Recording {Id} of room {Room} stopped: {Reason}; the call goes on")]
    private static partial void LogWriterFailed(ILogger logger, string id, string room, string reason);

    [LoggerMessage(EventId = 602, Level = LogLevel.Warning, Message = "Recording {Id}: the disk falls behind, {Dropped} packets dropped so far")]
    private static partial void LogQueueFull(ILogger logger, string id, long dropped);

    [LoggerMessage(EventId = 603, Level = LogLevel.Error, Message = "Recording {Id} could not be finalized")]
    private static partial void LogFinalizeFailed(ILogger logger, string id, Exception e);

    [LoggerMessage(EventId = 605, Level = LogLevel.Error, Message = "Recording {Id} could not be stopped cleanly")]
    private static partial void LogStopFailed(ILogger logger, string id, Exception e);

    [LoggerMessage(EventId = 604, Level = LogLevel.Warning, Message = "No recording key configured (MediaRelay:Recording:Key): recordings are stored unencrypted")]
    private static partial void LogUnencrypted(ILogger logger);
}

/// <summary>What a start request came to.</summary>
public enum StartOutcome
{
    Started,
    NoSuchRoom,
    AlreadyRecording,
    ConsentMissing,
}

/// <summary>A room tells its recorder about producers that appear while it records.</summary>
public interface IRoomRecorder
{
    void OnProducerAdded(ConsultationRoom room, Producer producer);
}
