namespace MediaRelay.Interop.Tests.Operations;

/// <summary>
/// One instant query's answer from Prometheus' HTTP API (<c>/api/v1/query</c>): its status ("success" or "error"),
/// how many series (or samples) the result holds, the first one's value as Prometheus printed it, and the error.
/// </summary>
public sealed record PrometheusQueryResult(string Query, string Status, int SeriesCount, string? FirstValue, string? Error)
{
    public bool IsNonEmpty => Status == "success" && SeriesCount > 0;

    public override string ToString() =>
        Status == "success" ? $"{SeriesCount} series, first {FirstValue ?? "-"}" : $"{Status}: {Error}";
}
