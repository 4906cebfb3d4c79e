namespace MediaRelay.LoadTest.Measurement;

/// <summary>One measured window at a fixed load.</summary>
internal sealed record StepResult(
    string Target,
    int Rooms,
    int Publishers,
    int Subscribers,
    double WindowSeconds,
    double SentPacketsPerSecond,
    double ForwardedPacketsPerSecond,
    double LossRatio,
    double LatencyP50Micros,
    double LatencyP99Micros,
    double LatencyP999Micros,
    long LatencySamples,
    double JitterMicros,
    double ServerCpuCores,
    double GeneratorCpuCores,
    double Gen0Collections,
    double AllocatedBytesPerForwardedPacket,
    long LateSends,
    int GeneratorCollections,
    double MaxLoopStallMicros = double.NaN,
    double LatencyMeanMicros = double.NaN,
    double ReceiveDelayMicros = double.NaN,
    double KernelTimedShare = double.NaN,
    double ServerLatencyMeanMicros = double.NaN,
    double ServerLatencyP50Micros = double.NaN,
    double ServerLatencyP99Micros = double.NaN,
    double ServerLatencyCount = double.NaN,
    double LatencyP50InServerBucketsMicros = double.NaN,
    double LatencyP99InServerBucketsMicros = double.NaN)
{
    // Latency: publisher's send time (in the payload) to the kernel's receive time at the subscriber's socket
    // (KernelTimedShare of the samples; the others are timed in user space). ReceiveDelayMicros is the mean of
    // user-space time − kernel time: the old, user-space latency is Latency + ReceiveDelay.
    // ServerLatency*: the server's own mediarelay_forward_latency_seconds over the same window (Δ of two scrapes):
    // mean = Δsum / Δcount (exact), p50/p99 interpolated inside its buckets as histogram_quantile does;
    // LatencyP50/P99InServerBuckets are the tool's own samples counted into the same buckets and interpolated alike.

    /// <summary>Server mean / tool mean (the agreement the guard judges).</summary>
    public double ServerMeanRatio => ServerLatencyMeanMicros / LatencyMeanMicros;

    public double ServerP50Ratio => ServerLatencyP50Micros / LatencyP50Micros;

    public double ServerP99Ratio => ServerLatencyP99Micros / LatencyP99Micros;

    /// <summary>Forwarded packets per second per core of server CPU actually used.</summary>
    public double PacketsPerCoreSecond => ServerCpuCores > 0 ? ForwardedPacketsPerSecond / ServerCpuCores : double.NaN;

    public bool WithinLimits(double maxLoss, double maxP99Micros) => LossRatio <= maxLoss && LatencyP99Micros <= maxP99Micros;
}
