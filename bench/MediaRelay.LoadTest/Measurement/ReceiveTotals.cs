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

    /// <summary>Send (in the payload) to the kernel's receive time of the datagram (user-space time when it has none).</summary>
    public LatencyHistogram Latency { get; } = new();

    public long UndecryptableSamples;
    public long UnmarkedSamples;
    public long Datagrams;

    /// <summary>Timed samples that carried the kernel's receive time (SCM_TIMESTAMPNS).</summary>
    public long KernelTimedSamples;

    /// <summary>Timed samples without one, timed in user space instead.</summary>
    public long UserTimedSamples;

    /// <summary>
    /// Σ over the kernel-timed samples of (user-space time − kernel time): how late the receive thread read and
    /// decrypted the datagram. Old figure (user-space latency) = kernel latency + this, on average.
    /// </summary>
    public long ReceiveDelayTicks;
}
