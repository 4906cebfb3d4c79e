namespace MediaRelay.Server.Tests;

/// <summary>One running Development host shared by the tests of a class (each test uses its own room).</summary>
public sealed class HostFixture : IAsyncLifetime
{
    private RunningHost? _host;

    internal RunningHost Host => _host ?? throw new InvalidOperationException("Host not started.");

    public async Task InitializeAsync() => _host = await RunningHost.StartAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
