namespace MediaRelay.Interop.Tests.Operations;

/// <summary>The checkout the tests run from: the directory above the test binaries that holds MediaRelay.sln.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    /// <summary>A path inside the checkout, e.g. <c>Combine("deploy", "grafana", "mediarelay.json")</c>.</summary>
    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "MediaRelay.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName
            ?? throw new DirectoryNotFoundException("MediaRelay.sln not found above " + AppContext.BaseDirectory);
    }
}
