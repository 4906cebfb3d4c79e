using MediaRelay.Server.Options;
using MediaRelay.Server.Security;

namespace MediaRelay.Server.Tests;

public class SigningKeyStoreTests
{
    [Fact]
    public void Generates_a_key_in_the_data_directory_then_reuses_it()
    {
        using var temp = new TempDirectory();
        var options = new MediaRelayOptions { DataDirectory = Path.Combine(temp.Path, "nested", "data") };

        byte[] first = SigningKeyStore.Load(options);
        byte[] second = SigningKeyStore.Load(options);

        Assert.Equal(32, first.Length);
        Assert.Equal(first, second);
        string file = Path.Combine(options.DataDirectory, "dev-signing.key");
        Assert.Equal(first, Convert.FromBase64String(File.ReadAllText(file).Trim()));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    public void Different_data_directories_get_different_keys()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        Assert.NotEqual(
            SigningKeyStore.Load(new MediaRelayOptions { DataDirectory = a.Path }),
            SigningKeyStore.Load(new MediaRelayOptions { DataDirectory = b.Path }));
    }

    [Fact]
    public void Too_short_stored_key_is_replaced()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(Path.Combine(temp.Path, "dev-signing.key"), Convert.ToBase64String(new byte[8]));

        byte[] key = SigningKeyStore.Load(new MediaRelayOptions { DataDirectory = temp.Path });

        Assert.Equal(32, key.Length);
        Assert.NotEqual(new byte[32], key);
    }

    [Fact]
    public void Configured_key_wins_and_writes_nothing()
    {
        using var temp = new TempDirectory();
        byte[] configured = Enumerable.Range(100, 48).Select(i => (byte)i).ToArray();
        var options = new MediaRelayOptions { DataDirectory = temp.Path };
        options.Auth.SigningKey = Convert.ToBase64String(configured);

        Assert.Equal(configured, SigningKeyStore.Load(options));
        Assert.False(File.Exists(Path.Combine(temp.Path, "dev-signing.key")));
    }

    [Fact]
    public void Configured_short_key_is_refused_by_the_token_service()
    {
        var options = new MediaRelayOptions();
        options.Auth.SigningKey = Convert.ToBase64String(new byte[16]);
        byte[] key = SigningKeyStore.Load(options);
        Assert.Throws<ArgumentException>(() => new JoinTokenService(key, TimeProvider.System));
    }
}
