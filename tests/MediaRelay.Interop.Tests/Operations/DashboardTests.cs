using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MediaRelay.Interop.Tests.Server;

namespace MediaRelay.Interop.Tests.Operations;

/// <summary>
/// The ops deliverables without a browser: the Grafana dashboard is an importable model whose every panel has a
/// query and a unit, deploy/prometheus/prometheus.yml (and its rule file) passes <c>promtool check config</c>, and
/// every metric the dashboard and the alerts read is exported by a running server's <c>/metrics</c>. The last one
/// names the missing metrics precisely; <see cref="DashboardQueryTests"/> then proves every query with Prometheus.
/// </summary>
public sealed partial class DashboardTests
{
    public static string PrometheusConfigPath => RepositoryRoot.Combine("deploy", "prometheus", "prometheus.yml");
    public static string AlertRulesPath => RepositoryRoot.Combine("deploy", "prometheus", "mediarelay.rules.yml");

    [Fact]
    public void DashboardIsAnImportableModelWithAQueryAndAUnitOnEveryPanel()
    {
        GrafanaDashboard dashboard = GrafanaDashboard.Load(GrafanaDashboard.DefaultPath);
        JsonObject model = dashboard.Model;
        Assert.Equal("mediarelay", (string?)model["uid"]);
        Assert.InRange((int)model["schemaVersion"]!, 36, 41);
        JsonObject[] variables = [.. model["templating"]!["list"]!.AsArray().OfType<JsonObject>()];
        Assert.Contains(variables, v => (string?)v["name"] == "datasource" && (string?)v["type"] == "datasource"
            && (string?)v["query"] == "prometheus");

        var problems = new List<string>();
        var ids = new HashSet<int>();
        foreach (JsonObject panel in dashboard.Panels)
        {
            string title = (string?)panel["title"] ?? "(untitled)";
            if (panel["id"] is null || !ids.Add((int)panel["id"]!))
            {
                problems.Add($"{title}: missing or duplicate id");
            }
            if (panel["gridPos"] is not JsonObject grid || (int)grid["w"]! + (int)grid["x"]! > 24)
            {
                problems.Add($"{title}: gridPos missing or wider than 24 columns");
            }
            if ((string?)panel["type"] == "row")
            {
                continue;
            }
            if ((string?)panel["datasource"]?["uid"] != "${datasource}")
            {
                problems.Add($"{title}: datasource is not the ${{datasource}} variable");
            }
            JsonObject[] targets = [.. (panel["targets"] as JsonArray ?? []).OfType<JsonObject>()];
            if (!targets.Any(t => !string.IsNullOrWhiteSpace((string?)t["expr"])))
            {
                problems.Add($"{title}: no target with an expr");
            }
            if (string.IsNullOrEmpty((string?)panel["fieldConfig"]?["defaults"]?["unit"]))
            {
                problems.Add($"{title}: no unit in fieldConfig.defaults");
            }
            if (string.IsNullOrEmpty((string?)panel["description"]))
            {
                problems.Add($"{title}: no description (what it shows, what healthy looks like)");
            }
        }
        foreach (DashboardTarget target in dashboard.Targets)
        {
            try
            {
                _ = GrafanaDashboard.Substitute(target.Expression, GrafanaDashboard.TestVariables);
            }
            catch (InvalidOperationException e)
            {
                problems.Add($"{target}: {e.Message}");
            }
            // Grafana sizes rate windows from the scrape interval; a fixed window breaks at other intervals.
            if (FixedRangeWindow().IsMatch(target.Expression))
            {
                problems.Add($"{target}: a fixed range window instead of $__rate_interval: {target.Expression}");
            }
        }
        Assert.True(problems.Count == 0, "Dashboard problems:\n" + string.Join('\n', problems));
        Assert.True(dashboard.Targets.Count >= 20, $"only {dashboard.Targets.Count} targets");
    }

    [Fact]
    public async Task DeployedPrometheusConfigAndRulesPassPromtool()
    {
        (int exitCode, string output) = await Promtool.CheckConfigAsync(PrometheusConfigPath);
        Assert.True(exitCode == 0, $"promtool check config {PrometheusConfigPath} exited {exitCode}:\n{output}");
        Assert.Contains("SUCCESS", output);
        Assert.Contains("rules found", output); // the rule file was found and checked too
    }

    [Fact]
    public async Task EveryMetricTheDashboardAndAlertsReadIsExportedByARunningServer()
    {
        await using MediaRelayServer server = await MediaRelayServer.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        MetricsScrape scrape = MetricsScrape.Parse(await http.GetStringAsync("/metrics"));

        var readers = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (DashboardTarget target in GrafanaDashboard.Load(GrafanaDashboard.DefaultPath).Targets)
        {
            Note(readers, target.Expression, "panel " + target);
        }
        foreach (Match rule in AlertExpression().Matches(await File.ReadAllTextAsync(AlertRulesPath)))
        {
            Note(readers, rule.Groups[1].Value, "alert rule");
        }

        string[] missing = [.. readers.Where(r => !scrape.Exports(r.Key))
            .Select(r => $"{GrafanaDashboard.FamilyName(r.Key)} (read as {r.Key} by {string.Join(", ", r.Value)})")
            .Distinct()];
        Assert.True(readers.Count > 0, "no metric names found in the dashboard");
        Assert.True(missing.Length == 0,
            $"{missing.Length} metrics the dashboard or alerts read are not exported by /metrics:\n" + string.Join('\n', missing));
    }

    private static void Note(SortedDictionary<string, SortedSet<string>> readers, string expression, string reader)
    {
        foreach (string name in GrafanaDashboard.MetricNames(expression))
        {
            if (!readers.TryGetValue(name, out SortedSet<string>? set))
            {
                readers[name] = set = new SortedSet<string>(StringComparer.Ordinal);
            }
            set.Add(reader);
        }
    }

    [GeneratedRegex(@"\[\d+[smhdwy]\]")]
    private static partial Regex FixedRangeWindow();

    [GeneratedRegex(@"^\s*expr:\s*(.+)$", RegexOptions.Multiline)]
    private static partial Regex AlertExpression();
}
