using System.Globalization;
using Microsoft.Data.Sqlite;

namespace MediaRelay.Recording.Catalog;

/// <summary>
/// The SQLite catalog of recordings, their tracks and files, consent and the audit trail (one file under the data
/// directory). Control plane only; every method opens its own short-lived connection, so any thread may call.
/// </summary>
public sealed class RecordingCatalog
{
    private readonly string _connectionString;

    public RecordingCatalog(string databasePath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
        using SqliteConnection connection = Open();
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS recordings (
                id TEXT PRIMARY KEY, room TEXT NOT NULL, state TEXT NOT NULL, started_at TEXT NOT NULL,
                stopped_at TEXT, started_by TEXT NOT NULL, stopped_by TEXT, consent_mode TEXT NOT NULL,
                consent_reason TEXT, error TEXT, duration_ms INTEGER NOT NULL DEFAULT 0,
                size_bytes INTEGER NOT NULL DEFAULT 0, key_id TEXT);
            CREATE TABLE IF NOT EXISTS tracks (
                recording_id TEXT NOT NULL, track INTEGER NOT NULL, participant_id TEXT NOT NULL,
                participant_name TEXT NOT NULL, kind TEXT NOT NULL, source TEXT NOT NULL, codec TEXT NOT NULL,
                packets INTEGER NOT NULL DEFAULT 0, bytes INTEGER NOT NULL DEFAULT 0, dropped INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (recording_id, track));
            CREATE TABLE IF NOT EXISTS files (
                recording_id TEXT NOT NULL, name TEXT NOT NULL, scope TEXT NOT NULL, container TEXT NOT NULL,
                size_bytes INTEGER NOT NULL, encrypted INTEGER NOT NULL, PRIMARY KEY (recording_id, name));
            CREATE TABLE IF NOT EXISTS consents (
                room TEXT NOT NULL, participant_id TEXT NOT NULL, participant_name TEXT NOT NULL, at TEXT NOT NULL,
                given_by TEXT NOT NULL, reason TEXT, PRIMARY KEY (room, participant_id));
            CREATE TABLE IF NOT EXISTS audit (
                id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
                recording_id TEXT, detail TEXT);
            """);
    }

    public void AddRecording(RecordingEntry entry)
    {
        using SqliteConnection connection = Open();
        Execute(connection, """
            INSERT INTO recordings (id, room, state, started_at, started_by, consent_mode, consent_reason, key_id)
            VALUES ($id, $room, $state, $at, $by, $mode, $reason, $key)
            """, ("$id", entry.Id), ("$room", entry.RoomId), ("$state", Text(entry.State)), ("$at", Time(entry.StartedAt)),
            ("$by", entry.StartedBy), ("$mode", entry.ConsentMode), ("$reason", entry.ConsentReason), ("$key", entry.KeyId));
    }

    public void MarkStopped(string id, RecordingState state, DateTimeOffset at, string? stoppedBy, string? error)
    {
        using SqliteConnection connection = Open();
        Execute(connection, """
            UPDATE recordings SET state = $state, stopped_at = COALESCE(stopped_at, $at),
                stopped_by = COALESCE(stopped_by, $by), error = COALESCE($error, error) WHERE id = $id
            """, ("$id", id), ("$state", Text(state)), ("$at", Time(at)), ("$by", stoppedBy), ("$error", error));
    }

    public void MarkFinished(string id, RecordingState state, long durationMilliseconds, long sizeBytes, string? error)
    {
        using SqliteConnection connection = Open();
        Execute(connection, """
            UPDATE recordings SET state = $state, duration_ms = $duration, size_bytes = $size,
                error = COALESCE($error, error) WHERE id = $id
            """, ("$id", id), ("$state", Text(state)), ("$duration", durationMilliseconds), ("$size", sizeBytes), ("$error", error));
    }

    public void UpsertTrack(TrackEntry track)
    {
        using SqliteConnection connection = Open();
        Execute(connection, """
            INSERT INTO tracks (recording_id, track, participant_id, participant_name, kind, source, codec, packets, bytes, dropped)
            VALUES ($rec, $track, $pid, $pname, $kind, $source, $codec, $packets, $bytes, $dropped)
            ON CONFLICT (recording_id, track) DO UPDATE SET packets = $packets, bytes = $bytes, dropped = $dropped
            """, ("$rec", track.RecordingId), ("$track", track.Track), ("$pid", track.ParticipantId),
            ("$pname", track.ParticipantName), ("$kind", track.Kind), ("$source", track.Source), ("$codec", track.Codec),
            ("$packets", track.Packets), ("$bytes", track.Bytes), ("$dropped", track.Dropped));
    }

    public void AddFile(FileEntry file)
    {
        using SqliteConnection connection = Open();
        Execute(connection, """
            INSERT OR REPLACE INTO files (recording_id, name, scope, container, size_bytes, encrypted)
            VALUES ($rec, $name, $scope, $container, $size, $encrypted)
            """, ("$rec", file.RecordingId), ("$name", file.Name), ("$scope", file.Scope), ("$container", file.Container),
            ("$size", file.SizeBytes), ("$encrypted", file.Encrypted ? 1 : 0));
    }

    public void RecordConsent(ConsentEntry consent)
    {
        using SqliteConnection connection = Open();
        Execute(connection, """
            INSERT OR REPLACE INTO consents (room, participant_id, participant_name, at, given_by, reason)
            VALUES ($room, $pid, $pname, $at, $by, $reason)
            """, ("$room", consent.RoomId), ("$pid", consent.ParticipantId), ("$pname", consent.ParticipantName),
            ("$at", Time(consent.At)), ("$by", consent.GivenBy), ("$reason", consent.Reason));
    }

    public IReadOnlyList<ConsentEntry> Consents(string roomId) =>
        Query("SELECT room, participant_id, participant_name, at, given_by, reason FROM consents WHERE room = $room ORDER BY at",
            r => new ConsentEntry(r.GetString(0), r.GetString(1), r.GetString(2), ParseTime(r.GetString(3)), r.GetString(4),
                r.IsDBNull(5) ? null : r.GetString(5)), ("$room", roomId));

    public long Audit(string actor, string action, string? recordingId, string? detail, DateTimeOffset at)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand command = Command(connection, """
            INSERT INTO audit (at, actor, action, recording_id, detail) VALUES ($at, $actor, $action, $rec, $detail);
            SELECT last_insert_rowid();
            """, ("$at", Time(at)), ("$actor", actor), ("$action", action), ("$rec", recordingId), ("$detail", detail));
        return (long)command.ExecuteScalar()!;
    }

    public IReadOnlyList<AuditEntry> AuditTrail(string? recordingId = null) =>
        Query("SELECT id, at, actor, action, recording_id, detail FROM audit WHERE $rec IS NULL OR recording_id = $rec ORDER BY id",
            r => new AuditEntry(r.GetInt64(0), ParseTime(r.GetString(1)), r.GetString(2), r.GetString(3),
                r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5)), ("$rec", recordingId));

    public RecordingEntry? Find(string id) =>
        Query(SelectRecordings + " WHERE id = $id", ReadRecording, ("$id", id)).FirstOrDefault();

    public IReadOnlyList<RecordingEntry> List(string? roomId = null, RecordingState? state = null) =>
        Query(SelectRecordings + " WHERE ($room IS NULL OR room = $room) AND ($state IS NULL OR state = $state) ORDER BY started_at DESC",
            ReadRecording, ("$room", roomId), ("$state", state is null ? null : Text(state.Value)));

    public IReadOnlyList<TrackEntry> Tracks(string recordingId) =>
        Query("SELECT recording_id, track, participant_id, participant_name, kind, source, codec, packets, bytes, dropped FROM tracks WHERE recording_id = $rec ORDER BY track",
            r => new TrackEntry(r.GetString(0), r.GetInt32(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
                r.GetString(6), r.GetInt64(7), r.GetInt64(8), r.GetInt64(9)), ("$rec", recordingId));

    public IReadOnlyList<FileEntry> Files(string recordingId) =>
        Query("SELECT recording_id, name, scope, container, size_bytes, encrypted FROM files WHERE recording_id = $rec ORDER BY scope DESC, name",
            r => new FileEntry(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt64(4), r.GetInt64(5) != 0),
            ("$rec", recordingId));

    private const string SelectRecordings = """
        SELECT id, room, state, started_at, stopped_at, started_by, stopped_by, consent_mode, consent_reason, error,
               duration_ms, size_bytes, key_id FROM recordings
        """;

    private static RecordingEntry ReadRecording(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), Enum.Parse<RecordingState>(r.GetString(2), ignoreCase: true), ParseTime(r.GetString(3)),
        r.IsDBNull(4) ? null : ParseTime(r.GetString(4)), r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6), r.GetString(7),
        r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9), r.GetInt64(10), r.GetInt64(11),
        r.IsDBNull(12) ? null : r.GetString(12));

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> read, params (string Name, object? Value)[] parameters)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand command = Command(connection, sql, parameters);
        using SqliteDataReader reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    private static void Execute(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand command = Command(connection, sql, parameters);
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }

    private static string Text(RecordingState state) => state.ToString().ToLowerInvariant();

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
