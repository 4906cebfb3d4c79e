using MediaRelay.Server.Options;
using System.Security.Cryptography;

namespace MediaRelay.Server.Security;

/// <summary>
/// Finds the join-token signing key: configured (base64), else a generated development key kept in the data
/// directory so links stay valid across restarts of a local server.
/// </summary>
public static class SigningKeyStore
{
    public static byte[] Load(MediaRelayOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Auth.SigningKey))
        {
            return Convert.FromBase64String(options.Auth.SigningKey);
        }
        string path = Path.Combine(options.DataDirectory, "dev-signing.key");
        if (File.Exists(path))
        {
            byte[] existing = Convert.FromBase64String(File.ReadAllText(path).Trim());
            if (existing.Length >= 32)
            {
                return existing;
            }
        }
        Directory.CreateDirectory(options.DataDirectory);
        byte[] key = RandomNumberGenerator.GetBytes(32);
        File.WriteAllText(path, Convert.ToBase64String(key));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return key;
    }
}
