using Microsoft.Playwright;

namespace MediaRelay.Interop.Tests.Chromium;

/// <summary>
/// One Playwright driver shared by a test collection, and a factory of headless Chromium browser contexts, each
/// in its own fresh user-data directory, launched from Debian's <c>/usr/bin/chromium</c> with the flags that make
/// WebRTC work headless on loopback (shared/INTEROP.md). No browser is ever downloaded.
/// </summary>
/// <remarks>
/// A missing Chromium is a failure, not a skip: CI has to prove the real peer. <c>scripts/setup.sh</c> installs it.
/// Set <c>MEDIARELAY_CHROMIUM</c> to use another executable.
/// </remarks>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string DefaultExecutablePath = "/usr/bin/chromium";

    public const string ExecutablePathVariable = "MEDIARELAY_CHROMIUM";

    /// <summary>Flags from shared/INTEROP.md; Playwright adds --headless itself.</summary>
    public static readonly IReadOnlyList<string> Flags =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        "--allow-loopback-in-peer-connection",
    ];

    private readonly Lock _gate = new();
    private readonly List<IBrowserContext> _contexts = [];
    private readonly List<string> _userDataDirectories = [];
    private IPlaywright? _playwright;

    public ChromiumFixture()
        : this(Environment.GetEnvironmentVariable(ExecutablePathVariable) is { Length: > 0 } overridden
            ? overridden
            : DefaultExecutablePath)
    {
    }

    internal ChromiumFixture(string executablePath)
    {
        ExecutablePath = executablePath;
    }

    public string ExecutablePath { get; }

    public IPlaywright Playwright =>
        _playwright ?? throw new InvalidOperationException("ChromiumFixture has not been initialized.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at '{ExecutablePath}'. The interop tests need a real browser peer: run " +
                $"./scripts/setup.sh (installs Debian's 'chromium' package) or set {ExecutablePathVariable}.");
        }

        _playwright = await Microsoft.Playwright.Playwright.CreateAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Launches a new headless Chromium with a fresh user-data directory and returns its context, with the
    /// <see cref="WebRtcStats"/> recorder installed so every page's peer connections can be read back.
    /// The fixture closes it and deletes the directory on dispose; a test may close it earlier.
    /// </summary>
    public async Task<IBrowserContext> NewContextAsync(BrowserTypeLaunchPersistentContextOptions? options = null)
    {
        var userDataDirectory = Directory.CreateTempSubdirectory("mediarelay-chromium-").FullName;
        lock (_gate)
        {
            _userDataDirectories.Add(userDataDirectory);
        }

        options ??= new BrowserTypeLaunchPersistentContextOptions();
        options.ExecutablePath = ExecutablePath;
        options.Headless = true;
        options.Args = options.Args is null ? Flags : [.. Flags, .. options.Args];
        options.Timeout ??= 30_000;

        var context = await Playwright.Chromium
            .LaunchPersistentContextAsync(userDataDirectory, options)
            .ConfigureAwait(false);
        lock (_gate)
        {
            _contexts.Add(context);
        }

        await WebRtcStats.InstallAsync(context).ConfigureAwait(false);
        return context;
    }

    public async Task DisposeAsync()
    {
        IBrowserContext[] contexts;
        string[] directories;
        lock (_gate)
        {
            contexts = [.. _contexts];
            directories = [.. _userDataDirectories];
            _contexts.Clear();
            _userDataDirectories.Clear();
        }

        foreach (var context in contexts)
        {
            try
            {
                await context.CloseAsync().ConfigureAwait(false);
            }
            catch (PlaywrightException)
            {
                // Already closed or the browser died; the directory is still removed below.
            }
        }

        _playwright?.Dispose();
        _playwright = null;

        foreach (var directory in directories)
        {
            DeleteQuietly(directory);
        }
    }

    private static void DeleteQuietly(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be flushing files for a moment after exit; temp space is reclaimed anyway.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
