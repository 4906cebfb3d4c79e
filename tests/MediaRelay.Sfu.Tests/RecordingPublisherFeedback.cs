namespace MediaRelay.Sfu.Tests;

/// <summary>Records every picture loss indication a producer sends towards its publisher.</summary>
internal sealed class RecordingPublisherFeedback : IPublisherFeedback
{
    private readonly List<uint> _pictureLossIndications;

    /// <param name="capacity">Pre-sized so that recording does not allocate inside an allocation measurement.</param>
    public RecordingPublisherFeedback(int capacity = 16) => _pictureLossIndications = new List<uint>(capacity);

    public IReadOnlyList<uint> PictureLossIndications => _pictureLossIndications;

    public int Count => _pictureLossIndications.Count;

    public void SendPictureLossIndication(uint mediaSsrc) => _pictureLossIndications.Add(mediaSsrc);

    public List<(uint Ssrc, ushort[] Sequences)> Nacks { get; } = [];

    public void SendNack(uint mediaSsrc, ReadOnlySpan<ushort> sequences) => Nacks.Add((mediaSsrc, sequences.ToArray()));
}
