namespace MediaRelay.LoadTest.Measurement;

/// <summary>What the receive thread accumulates across all peers (single writer; the controller reads snapshots).</summary>
internal sealed class ReceiveTotals
{
    public ReceiveTotals(int sampleEvery)
    {
        SampleEvery = Math.Max(1, sampleEvery);
    }

    /// <summary>Every subscriber counts every packet but decrypts and times one packet in this many.</summary>
    public int SampleEvery { get; }

    public LatencyHistogram Latency { get; } = new();

    public long UndecryptableSamples;
    public long UnmarkedSamples;
    public long Datagrams;
}
