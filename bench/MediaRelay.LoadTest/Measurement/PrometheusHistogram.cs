using System.Globalization;

namespace MediaRelay.LoadTest.Measurement;

/// <summary>
/// One Prometheus histogram as scraped (OpenMetrics / text exposition format: cumulative "_bucket{le=…}" counts,
/// "_sum" and "_count"), the difference of two scrapes, and its quantiles by the same linear interpolation inside a
/// bucket as PromQL's histogram_quantile.
/// </summary>
internal sealed record PrometheusHistogram(double[] UpperBounds, double[] CumulativeCounts, double Sum, double Count)
{
    /// <summary>The histogram <paramref name="name"/> (without labels other than le) in a parsed scrape; null if absent.</summary>
    public static PrometheusHistogram? Read(IReadOnlyDictionary<string, double> values, string name)
    {
        string prefix = name + "_bucket{";
        var buckets = new List<(double Bound, double Count)>();
        foreach (var (key, value) in values)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }
            int le = key.IndexOf("le=\"", StringComparison.Ordinal);
            int end = le < 0 ? -1 : key.IndexOf('"', le + 4);
            if (end < 0)
            {
                continue;
            }
            string bound = key[(le + 4)..end];
            double upper = bound == "+Inf" ? double.PositiveInfinity : double.Parse(bound, NumberStyles.Float, CultureInfo.InvariantCulture);
            buckets.Add((upper, value));
        }
        if (buckets.Count == 0 || !values.TryGetValue(name + "_sum", out double sum) || !values.TryGetValue(name + "_count", out double count))
        {
            return null;
        }
        buckets.Sort((a, b) => a.Bound.CompareTo(b.Bound));
        return new PrometheusHistogram([.. buckets.Select(b => b.Bound)], [.. buckets.Select(b => b.Count)], sum, count);
    }

    /// <summary>What was observed between <paramref name="earlier"/> and this scrape (same buckets).</summary>
    public PrometheusHistogram Since(PrometheusHistogram earlier)
    {
        if (!UpperBounds.AsSpan().SequenceEqual(earlier.UpperBounds))
        {
            throw new InvalidOperationException("The histogram's buckets changed between two scrapes.");
        }
        var counts = new double[CumulativeCounts.Length];
        for (int i = 0; i < counts.Length; i++)
        {
            counts[i] = CumulativeCounts[i] - earlier.CumulativeCounts[i];
        }
        return new PrometheusHistogram(UpperBounds, counts, Sum - earlier.Sum, Count - earlier.Count);
    }

    /// <summary>Σ / count: exact, whatever the buckets.</summary>
    public double Mean => Count > 0 ? Sum / Count : double.NaN;

    public double Quantile(double q) => Quantile(UpperBounds, CumulativeCounts, q);

    /// <summary>
    /// histogram_quantile(q): the rank q × count falls into the first bucket whose cumulative count reaches it; the
    /// value is interpolated linearly between that bucket's lower bound (the previous bound, 0 for the first) and its
    /// upper bound. A rank in the +Inf bucket gives the largest finite bound.
    /// </summary>
    public static double Quantile(IReadOnlyList<double> upperBounds, IReadOnlyList<double> cumulative, double q)
    {
        int n = upperBounds.Count;
        if (n < 2 || !double.IsPositiveInfinity(upperBounds[n - 1]) || cumulative[n - 1] <= 0)
        {
            return double.NaN;
        }
        double rank = q * cumulative[n - 1];
        int b = 0;
        while (b < n - 1 && cumulative[b] < rank)
        {
            b++;
        }
        if (b == n - 1)
        {
            return upperBounds[n - 2];
        }
        double start = b == 0 ? 0 : upperBounds[b - 1];
        double below = b == 0 ? 0 : cumulative[b - 1];
        double inBucket = cumulative[b] - below;
        return inBucket <= 0 ? upperBounds[b] : start + ((upperBounds[b] - start) * ((rank - below) / inBucket));
    }
}
