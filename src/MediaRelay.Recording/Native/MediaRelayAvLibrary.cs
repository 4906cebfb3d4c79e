using System.Reflection;
using System.Runtime.InteropServices;

namespace MediaRelay.Recording.Native;

/// <summary>
/// Locates libmediarelay_av.so (built by native/build.sh): next to the assembly (the csproj copies it there),
/// in $MEDIARELAY_NATIVE_DIR, or in native/build of an enclosing repository checkout; otherwise the default search.
/// </summary>
internal static class MediaRelayAvLibrary
{
    internal const string Name = "mediarelay_av";
    internal const string FileName = "libmediarelay_av.so";

    private static int registered;

    internal static void EnsureResolver()
    {
        if (Interlocked.Exchange(ref registered, 1) == 0)
        {
            NativeLibrary.SetDllImportResolver(typeof(MediaRelayAvLibrary).Assembly, Resolve);
        }
    }

    /// <summary>The file that will be loaded, or null when only the default search path remains.</summary>
    internal static string? FindLibraryFile()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("MEDIARELAY_NATIVE_DIR");
        if (!string.IsNullOrEmpty(fromEnvironment) && File.Exists(Path.Combine(fromEnvironment, FileName)))
        {
            return Path.Combine(fromEnvironment, FileName);
        }

        string? assemblyDirectory = Path.GetDirectoryName(typeof(MediaRelayAvLibrary).Assembly.Location);
        foreach (string? start in new[] { AppContext.BaseDirectory, assemblyDirectory })
        {
            if (string.IsNullOrEmpty(start))
            {
                continue;
            }

            if (File.Exists(Path.Combine(start, FileName)))
            {
                return Path.Combine(start, FileName);
            }
        }

        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "native", "build", FileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != Name)
        {
            return IntPtr.Zero;
        }

        string? file = FindLibraryFile();
        if (file is not null && NativeLibrary.TryLoad(file, out IntPtr loaded))
        {
            return loaded;
        }

        return IntPtr.Zero; // falls back to the default probing (LD_LIBRARY_PATH, ldconfig)
    }
}
