using System.Globalization;

namespace MediaRelay.LoadTest.Measurement;

/// <summary>CPU time of any process on this machine from /proc/PID/stat (proc(5): utime + stime, fields 14 and 15).</summary>
internal static class ProcessCpu
{
    private const double ClockTicksPerSecond = 100; // sysconf(_SC_CLK_TCK) on Linux x86-64

    /// <summary>User + system seconds the process has used, or NaN when it is gone.</summary>
    public static double Seconds(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return double.NaN;
        }
        return FromStat(text);
    }

    /// <summary>User + system seconds from the text of a /proc/PID/stat file.</summary>
    internal static double FromStat(string text)
    {
        // The command name (field 2) is in parentheses and may hold spaces: split after the last ')'.
        string[] fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state); utime is field 14 → index 11, stime field 15 → index 12.
        double utime = double.Parse(fields[11], CultureInfo.InvariantCulture);
        double stime = double.Parse(fields[12], CultureInfo.InvariantCulture);
        return (utime + stime) / ClockTicksPerSecond;
    }
}
