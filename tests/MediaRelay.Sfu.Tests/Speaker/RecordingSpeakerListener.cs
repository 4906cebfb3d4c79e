using MediaRelay.Sfu.Speaker;

namespace MediaRelay.Sfu.Tests.Speaker;

/// <summary>Records dominant-speaker changes with the harness time at which they were raised.</summary>
internal sealed class RecordingSpeakerListener : IActiveSpeakerListener
{
    public List<(string? Participant, long Time)> Changes { get; } = new(capacity: 256);

    /// <summary>Set by the driver before each tick.</summary>
    public long Now { get; set; }

    public void OnDominantSpeakerChanged(string? participantId) => Changes.Add((participantId, Now));

    public string?[] Participants()
    {
        var result = new string?[Changes.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = Changes[i].Participant;
        }
        return result;
    }
}
