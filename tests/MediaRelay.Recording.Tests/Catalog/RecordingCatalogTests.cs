using MediaRelay.Recording.Catalog;

namespace MediaRelay.Recording.Tests.Catalog;

public sealed class RecordingCatalogTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mr-catalog-" + Guid.NewGuid().ToString("N"));
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private RecordingCatalog Create() => new(Path.Combine(_directory, "recordings.db"));

    [Fact]
    public void A_recording_its_tracks_files_and_audit_survive_a_reopen()
    {
        RecordingCatalog catalog = Create();
        catalog.AddRecording(new RecordingEntry("r1", "ward-7", RecordingState.Recording, T0, null, "api:ops", null,
            "participants", null, null, 0, 0, "k1"));
        catalog.UpsertTrack(new TrackEntry("r1", 0, "p1", "Dr Chen", "audio", "microphone", "opus", 10, 1000, 0));
        catalog.UpsertTrack(new TrackEntry("r1", 0, "p1", "Dr Chen", "audio", "microphone", "opus", 25, 2500, 1));
        catalog.MarkStopped("r1", RecordingState.Finalizing, T0.AddSeconds(10), "api:ops", null);
        catalog.AddFile(new FileEntry("r1", "room.mkv", "room", "matroska", 12345, true));
        catalog.MarkFinished("r1", RecordingState.Complete, 10_000, 12345, null);
        catalog.Audit("api:ops", "start", "r1", null, T0);
        catalog.Audit("api:ops", "download", "r1", "room.mkv", T0.AddMinutes(1));

        RecordingCatalog reopened = Create();
        RecordingEntry entry = Assert.Single(reopened.List());
        Assert.Equal(RecordingState.Complete, entry.State);
        Assert.Equal(T0.AddSeconds(10), entry.StoppedAt);
        Assert.Equal("api:ops", entry.StoppedBy);
        Assert.Equal(10_000, entry.DurationMilliseconds);
        TrackEntry track = Assert.Single(reopened.Tracks("r1"));
        Assert.Equal((25L, 1L), (track.Packets, track.Dropped));
        Assert.Equal("room.mkv", Assert.Single(reopened.Files("r1")).Name);
        Assert.Equal(["start", "download"], reopened.AuditTrail("r1").Select(a => a.Action));
        Assert.Null(reopened.Find("nope"));
    }

    [Fact]
    public void Stopping_twice_keeps_the_first_stop_and_lists_filter_by_room_and_state()
    {
        RecordingCatalog catalog = Create();
        catalog.AddRecording(new RecordingEntry("a", "room-a", RecordingState.Recording, T0, null, "p1", null, "operator", "court order 12", null, 0, 0, null));
        catalog.AddRecording(new RecordingEntry("b", "room-b", RecordingState.Recording, T0.AddSeconds(1), null, "p2", null, "participants", null, null, 0, 0, null));
        catalog.MarkStopped("a", RecordingState.Failed, T0.AddSeconds(5), null, "disk full");
        catalog.MarkStopped("a", RecordingState.Failed, T0.AddSeconds(9), "janitor", null);

        RecordingEntry a = catalog.Find("a")!;
        Assert.Equal(T0.AddSeconds(5), a.StoppedAt);
        Assert.Equal("disk full", a.Error);
        Assert.Equal("court order 12", a.ConsentReason);
        Assert.Equal(["b"], catalog.List(roomId: "room-b").Select(r => r.Id));
        Assert.Equal(["a"], catalog.List(state: RecordingState.Failed).Select(r => r.Id));
    }

    [Fact]
    public void Consent_is_kept_per_room_and_participant()
    {
        RecordingCatalog catalog = Create();
        catalog.RecordConsent(new ConsentEntry("ward-7", "p1", "Dr Chen", T0, "p1", null));
        catalog.RecordConsent(new ConsentEntry("ward-7", "p2", "Patient", T0.AddSeconds(2), "operator:nurse", "consent form signed"));
        catalog.RecordConsent(new ConsentEntry("ward-8", "p3", "Dr Li", T0, "p3", null));
        IReadOnlyList<ConsentEntry> consents = catalog.Consents("ward-7");
        Assert.Equal(["p1", "p2"], consents.Select(c => c.ParticipantId));
        Assert.Equal("consent form signed", consents[1].Reason);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
