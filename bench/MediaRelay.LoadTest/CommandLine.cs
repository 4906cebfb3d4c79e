using System.Globalization;

namespace MediaRelay.LoadTest;

/// <summary>"--name value" pairs after the command word.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static CommandLine Parse(string[] args)
    {
        var line = new CommandLine();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                string name = args[i][2..];
                string value = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "true";
                line._values[name] = value;
            }
        }
        return line;
    }

    public string String(string name, string fallback) => _values.TryGetValue(name, out string? v) ? v : fallback;

    public int Int(string name, int fallback) =>
        _values.TryGetValue(name, out string? v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        _values.TryGetValue(name, out string? v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public bool Has(string name) => _values.ContainsKey(name);
}
