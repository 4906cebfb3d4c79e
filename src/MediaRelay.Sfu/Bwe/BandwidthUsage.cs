namespace MediaRelay.Sfu.Bwe;

/// <summary>Over-use detector hypothesis (draft-ietf-rmcat-gcc-02 §5.4).</summary>
public enum BandwidthUsage
{
    Normal,
    Underusing,
    Overusing,
}
