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
    double MaxLoopStallMicros = double.NaN)
{
    /// <summary>Forwarded packets per second per core of server CPU actually used.</summary>
    public double PacketsPerCoreSecond => ServerCpuCores > 0 ? ForwardedPacketsPerSecond / ServerCpuCores : double.NaN;

    public bool WithinLimits(double maxLoss, double maxP99Micros) => LossRatio <= maxLoss && LatencyP99Micros <= maxP99Micros;
}
