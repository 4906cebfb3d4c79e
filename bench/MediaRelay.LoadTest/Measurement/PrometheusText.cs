using System.Globalization;

namespace MediaRelay.LoadTest.Measurement;

/// <summary>Reads the sample lines of the Prometheus text exposition format ("name{labels} value").</summary>
internal static class PrometheusText
{
    public static Dictionary<string, double> Parse(string text)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            int space = line.LastIndexOf(' ');
            if (space > 0 && double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                values[line[..space]] = value;
            }
        }
        return values;
    }
}
