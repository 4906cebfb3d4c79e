namespace MediaRelay.Interop.Tests.Operations;

/// <summary>One query of a Grafana panel: the panel's title, the target's refId and its PromQL as written.</summary>
public sealed record DashboardTarget(string PanelTitle, string RefId, string Expression)
{
    public override string ToString() => $"{PanelTitle} [{RefId}]";
}
