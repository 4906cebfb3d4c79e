using MediaRelay.Server;

WebApplication app = MediaRelayHost.Build(args);
app.Run();
