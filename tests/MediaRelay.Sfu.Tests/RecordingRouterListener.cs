namespace MediaRelay.Sfu.Tests;

/// <summary>Records the router's control-plane notifications.</summary>
internal sealed class RecordingRouterListener : IRouterListener
{
    public List<Producer> Added { get; } = new();
    public List<Producer> Closed { get; } = new();

    public void OnRouterProducerAdded(Producer producer) => Added.Add(producer);

    public void OnRouterProducerClosed(Producer producer) => Closed.Add(producer);
}
