using MediaRelay.Server;
using MediaRelay.Server.Recording;

// `MediaRelay.Server export RECORDING-ID DIRECTORY [configuration arguments]`: writes a finished recording's files as
// plaintext (decrypting them) into DIRECTORY, audited as an export by the local operator. Anything else runs the server.
if (args.Length >= 3 && args[0] == "export")
{
    WebApplication host = MediaRelayHost.Build(args[3..]);
    RecordingManager recordings = host.Services.GetRequiredService<RecordingManager>();
    await recordings.StartAsync(CancellationToken.None);
    IReadOnlyList<string> files = await recordings.ExportAsync(args[1], args[2], "cli:" + Environment.UserName);
    await recordings.StopAsync(CancellationToken.None);
    foreach (string file in files)
    {
        Console.WriteLine(file);
    }
    if (files.Count == 0)
    {
        Console.Error.WriteLine($"Recording '{args[1]}' has no finished files (unknown id, or still recording or finalizing).");
        return 1;
    }
    return 0;
}

WebApplication app = MediaRelayHost.Build(args);
app.Run();
return 0;
