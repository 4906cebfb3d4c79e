using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MediaRelay.Interop.Tests.Operations;

/// <summary>
/// Reads a Grafana dashboard JSON model (deploy/grafana/mediarelay.json): its panels (rows' nested panels included)
/// and their Prometheus targets, and turns a target's PromQL into what Grafana would send, with the dashboard's
/// variables substituted as Grafana does for "All" instances of the selected job.
/// </summary>
public sealed partial class GrafanaDashboard
{
    /// <summary>What Grafana would put for each variable: a 1 s scrape interval gives $__rate_interval = 4 x 1 s or
    /// more; 15 s is what a 5 s scrape (deploy/prometheus/prometheus.yml) gives.</summary>
    public static readonly IReadOnlyDictionary<string, string> TestVariables = new Dictionary<string, string>
    {
        ["__rate_interval"] = "15s",
        ["__interval"] = "5s",
        ["__range"] = "1m",
        ["job"] = PrometheusProcess.JobName,
        ["instance"] = ".*",
    };

    private GrafanaDashboard(JsonObject model, IReadOnlyList<JsonObject> panels)
    {
        Model = model;
        Panels = panels;
    }

    public static string DefaultPath => RepositoryRoot.Combine("deploy", "grafana", "mediarelay.json");

    public JsonObject Model { get; }

    /// <summary>Every panel, rows and the panels inside collapsed rows included, in document order.</summary>
    public IReadOnlyList<JsonObject> Panels { get; }

    /// <summary>Panels that show data (all but rows).</summary>
    public IEnumerable<JsonObject> DataPanels => Panels.Where(p => (string?)p["type"] != "row");

    public IReadOnlyList<DashboardTarget> Targets =>
    [
        .. DataPanels.SelectMany(p => (p["targets"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(t => t["expr"] is not null)
            .Select(t => new DashboardTarget((string?)p["title"] ?? "(untitled)", (string?)t["refId"] ?? "?", (string)t["expr"]!))),
    ];

    /// <summary>Parses the file; throws (JsonException, InvalidOperationException) when it is not a dashboard model.</summary>
    public static GrafanaDashboard Load(string path)
    {
        JsonObject model = JsonNode.Parse(File.ReadAllText(path))?.AsObject()
            ?? throw new InvalidOperationException(path + " is empty");
        var panels = new List<JsonObject>();
        Collect(model["panels"] as JsonArray ?? throw new InvalidOperationException(path + " has no panels"), panels);
        return new GrafanaDashboard(model, panels);
    }

    /// <summary>
    /// The PromQL Grafana would send: <c>$name</c>, <c>${name}</c>, <c>${name:format}</c> and <c>[[name]]</c> replaced
    /// from <paramref name="variables"/>. Throws when an expression uses a variable that is not there.
    /// </summary>
    public static string Substitute(string expression, IReadOnlyDictionary<string, string> variables) =>
        VariablePattern().Replace(expression, m =>
        {
            string name = m.Groups["braced"].Success ? m.Groups["braced"].Value
                : m.Groups["bracket"].Success ? m.Groups["bracket"].Value
                : m.Groups["plain"].Value;
            return variables.TryGetValue(name, out string? value)
                ? value
                : throw new InvalidOperationException($"Unknown dashboard variable '{m.Value}' in: {expression}");
        });

    /// <summary>
    /// Metric names an expression reads (mediarelay_*, process_*, dotnet_*), as written (histogram series keep their
    /// _bucket/_sum/_count suffix). Label values and variables are not metric names.
    /// </summary>
    public static IReadOnlyCollection<string> MetricNames(string expression)
    {
        string withoutStrings = QuotedString().Replace(expression, "\"\"");
        return [.. MetricName().Matches(withoutStrings).Select(m => m.Value).Distinct()];
    }

    /// <summary>A histogram series' family name (x_bucket, x_sum, x_count → x); other names unchanged.</summary>
    public static string FamilyName(string seriesName) => HistogramSuffix().Replace(seriesName, "");

    private static void Collect(JsonArray array, List<JsonObject> into)
    {
        foreach (JsonObject panel in array.OfType<JsonObject>())
        {
            into.Add(panel);
            if (panel["panels"] is JsonArray nested)
            {
                Collect(nested, into);
            }
        }
    }

    [GeneratedRegex(@"\$\{(?<braced>\w+)(?::[\w]+)?\}|\[\[(?<bracket>\w+)\]\]|\$(?<plain>\w+)")]
    private static partial Regex VariablePattern();

    [GeneratedRegex(@"\b(?:mediarelay|process|dotnet)_\w+")]
    private static partial Regex MetricName();

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex QuotedString();

    [GeneratedRegex("_(?:bucket|sum|count)$")]
    private static partial Regex HistogramSuffix();
}
