namespace MediaRelay.Sfu.Tests;

/// <summary>Records every picture loss indication a producer sends towards its publisher.</summary>
internal sealed class RecordingPublisherFeedback : IPublisherFeedback
{
    private readonly List<uint> _pictureLossIndications = new();

    public IReadOnlyList<uint> PictureLossIndications => _pictureLossIndications;

    public int Count => _pictureLossIndications.Count;

    public void SendPictureLossIndication(uint mediaSsrc) => _pictureLossIndications.Add(mediaSsrc);
}
