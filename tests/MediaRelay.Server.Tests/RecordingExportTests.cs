using System.Security.Cryptography;
using MediaRelay.Recording.Catalog;
using MediaRelay.Recording.Crypto;
using MediaRelay.Server.Recording;
using Microsoft.Extensions.DependencyInjection;

namespace MediaRelay.Server.Tests;

/// <summary>The export command's work: a finished recording's files, stored encrypted, come out as plaintext, audited.</summary>
public sealed class RecordingExportTests
{
    [Fact]
    public async Task Encrypted_files_are_exported_as_plaintext_and_the_export_is_audited()
    {
        await using RunningHost host = await RunningHost.StartAsync();
        RecordingManager recordings = host.App.Services.GetRequiredService<RecordingManager>();
        RecordingKey key = Assert.Single(recordings.Keys); // development generates a key: recordings are encrypted at rest
        string id = "20261123-090000-test0001";
        recordings.Catalog.AddRecording(new RecordingEntry(id, "ward-7", RecordingState.Complete, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow,
            "api-key", "api-key", "participants", null, null, 10_000, 0, key.IdHex));
        byte[] media = RandomNumberGenerator.GetBytes(700_000);
        string files = Path.Combine(recordings.RecordingDirectory(id), "files");
        Directory.CreateDirectory(files);
        using (ChunkedFileWriter writer = ChunkedFileWriter.Create(Path.Combine(files, "room.mkv.enc"), key, ChunkedFileContent.Media))
        {
            writer.Write(media);
            writer.Complete();
        }
        recordings.Catalog.AddFile(new FileEntry(id, "room.mkv", "room", "matroska", media.Length, Encrypted: true));
        string target = Path.Combine(host.DataDirectory, "export");

        IReadOnlyList<string> written = await recordings.ExportAsync(id, target, "cli:test");

        Assert.Equal(Path.Combine(target, "room.mkv"), Assert.Single(written));
        Assert.Equal(media, await File.ReadAllBytesAsync(written[0]));
        Assert.NotEqual(media.AsSpan(0, 64).ToArray(), File.ReadAllBytes(Path.Combine(files, "room.mkv.enc")).AsSpan(32, 64).ToArray());
        AuditEntry audit = Assert.Single(recordings.Catalog.AuditTrail(id), a => a.Action == "export");
        Assert.Equal("cli:test", audit.Actor);
        Assert.Empty(await recordings.ExportAsync("no-such-recording", target, "cli:test"));
    }
}
