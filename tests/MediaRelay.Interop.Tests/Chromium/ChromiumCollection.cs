namespace MediaRelay.Interop.Tests.Chromium;

/// <summary>
/// Every Chromium test class joins this collection: one Playwright driver for all of them, and the classes run
/// one after another (browsers with fake media are heavy on a 2-core machine).
/// </summary>
[CollectionDefinition(Name)]
public sealed class ChromiumCollection : ICollectionFixture<ChromiumFixture>
{
    public const string Name = "Chromium";
}
