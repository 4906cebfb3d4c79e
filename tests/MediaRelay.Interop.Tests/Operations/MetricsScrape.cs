using System.Text.RegularExpressions;

namespace MediaRelay.Interop.Tests.Operations;

/// <summary>
/// The names in one Prometheus text-format scrape (exposition format 0.0.4): every sample's series name and every
/// family a <c># TYPE</c> line declares (a labelled counter with no children yet has only its TYPE line).
/// </summary>
public sealed partial class MetricsScrape
{
    private MetricsScrape(HashSet<string> names) => Names = names;

    public IReadOnlySet<string> Names { get; }

    public static MetricsScrape Parse(string text)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n'))
        {
            Match type = TypeLine().Match(line);
            if (type.Success)
            {
                names.Add(type.Groups[1].Value);
                continue;
            }
            Match sample = SampleLine().Match(line);
            if (sample.Success)
            {
                names.Add(sample.Groups[1].Value);
            }
        }
        return new MetricsScrape(names);
    }

    /// <summary>Whether a name an expression reads is exported (a histogram series also through its family).</summary>
    public bool Exports(string name) =>
        Names.Contains(name) || (GrafanaDashboard.FamilyName(name) is var family && family != name && Names.Contains(family));

    [GeneratedRegex(@"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) ")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]")]
    private static partial Regex SampleLine();
}
