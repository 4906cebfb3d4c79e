using MediaRelay.Core;

namespace MediaRelay.Recording.Crypto;

/// <summary>
/// Key files: one line of base64 (32 bytes). Production keys come from the operator's secret store; this helper
/// exists for development setups, creating the file readable by its owner only (0600).
/// </summary>
public static class RecordingKeyFile
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Reads a key file.</summary>
    /// <exception cref="FormatException">The file does not hold base64 of 32 bytes.</exception>
    public static RecordingKey Load(string path) => RecordingKey.FromBase64(File.ReadAllText(path));

    /// <summary>Generates a key and writes it to a new file (fails if the file exists) with mode 0600.</summary>
    public static RecordingKey CreateDevelopmentKey(string path)
    {
        RecordingKey key = RecordingKey.Generate();
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerReadWrite;
        }
        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(key.ToBase64());
            writer.Write('\n');
        }
        return key;
    }

    /// <summary>Loads the key file if it exists, otherwise creates a development key there.</summary>
    public static RecordingKey LoadOrCreateDevelopmentKey(string path)
    {
        if (File.Exists(path))
        {
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0)
            {
                ThrowHelper.ThrowInvalidOperation($"Recording key file {path} is readable by group or others; chmod 600 it.");
            }
            return Load(path);
        }
        return CreateDevelopmentKey(path);
    }
}
