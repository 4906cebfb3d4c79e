namespace MediaRelay.Sfu.Bwe;

/// <summary>Bounds of <see cref="SendSideBandwidthEstimator"/>, in bits per second.</summary>
public sealed class BandwidthEstimatorOptions
{
    public long MinBitsPerSecond { get; init; } = 30_000;

    public long MaxBitsPerSecond { get; init; } = 20_000_000;

    public long InitialBitsPerSecond { get; init; } = 300_000;
}
