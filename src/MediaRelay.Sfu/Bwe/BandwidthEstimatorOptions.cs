namespace MediaRelay.Sfu.Bwe;

/// <summary>Bounds of <see cref="SendSideBandwidthEstimator"/>, in bits per second.</summary>
public sealed class BandwidthEstimatorOptions
{
    public long MinBitsPerSecond { get; init; } = 30_000;

    public long MaxBitsPerSecond { get; init; } = 20_000_000;

    public long InitialBitsPerSecond { get; init; } = 300_000;

    /// <summary>
    /// Padding and probes lift the estimate to the desired rate × this, so an allocator that keeps headroom (picks
    /// layers up to ~0.9 × the estimate) still picks every desired layer. 1 pads to exactly the desired rate.
    /// </summary>
    public double PaddingHeadroom { get; init; } = 1.15;
}
