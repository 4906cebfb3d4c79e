namespace MediaRelay.Sfu.Allocation;

/// <summary>
/// Shares one subscriber's estimated bandwidth among what it receives (the SFU's side of
/// draft-ietf-rmcat-gcc-02 §5: the sender must not exceed the estimate). Audio is kept whole; every video starts
/// on its lowest active layer and is raised a layer at a time while the sum fits: the screen or medical-image share as far as
/// it goes first, then the cameras in turn. Raising a consumer above the layer it forwards now needs 15% headroom so
/// a noisy estimate does not flap it between layers; keeping the current layer needs only that it fits, and while the
/// path shows no congestion, that it fits in 1.5 × the budget: an app-limited estimate sits just above what was sent,
/// so when a publisher's encoder ramps up, the estimate trails the demand without any sign that the link is short.
/// Sending the extra is then the probe; if the link is short, the delay trend or loss says so, the estimate is cut
/// and the next allocation (congested) steps down.
/// Media loop only; allocation-free.
/// </summary>
public static class BitrateAllocator
{
    /// <summary>What an audio stream is assumed to take before it is measured (Opus at speech rates + overhead).</summary>
    public const long AudioFloorBitsPerSecond = 40_000;

    private const double UpgradeHeadroom = 0.85;
    private const double UncongestedHold = 1.5;
    private const int MaxVideo = 64;

    /// <summary>
    /// Sets each video consumer's <see cref="Consumer.MaxLayer"/> for <paramref name="availableBitsPerSecond"/>;
    /// returns the bits per second the subscriber would receive with no limit (what probing should aim for).
    /// <paramref name="congested"/>: the estimator saw over-use or cut the estimate lately
    /// (<see cref="Bwe.SendSideBandwidthEstimator.IsCongested"/>); only then must a kept layer fit the budget itself.
    /// </summary>
    public static long Allocate(ReadOnlySpan<Consumer> consumers, long availableBitsPerSecond, long now, bool congested)
    {
        long desired = 0;
        long budget = availableBitsPerSecond;
        int videoCount = 0;
        Span<int> assigned = stackalloc int[MaxVideo];
        Span<int> wanted = stackalloc int[MaxVideo];
        Span<int> index = stackalloc int[MaxVideo];
        long spend = 0;
        for (int i = 0; i < consumers.Length; i++)
        {
            Consumer c = consumers[i];
            if (c.IsClosed || c.Paused)
            {
                continue;
            }
            if (c.Producer.Kind == MediaKind.Audio)
            {
                long audio = Math.Max(AudioFloorBitsPerSecond, c.Producer.Layers[0].BitsPerSecond);
                desired += audio;
                budget -= audio;
                continue;
            }
            if (videoCount == MaxVideo)
            {
                continue;
            }
            int want = c.WantedLayer(now);
            wanted[videoCount] = want;
            assigned[videoCount] = LowestActive(c, now);
            index[videoCount] = i;
            desired += Rate(c, want);
            spend += Rate(c, assigned[videoCount]);
            videoCount++;
        }

        // Raise layers one step at a time, round robin: first the shares as far as they go, then the cameras.
        for (int pass = 0; pass < 2; pass++)
        {
            bool raised = true;
            while (raised)
            {
                raised = false;
                for (int v = 0; v < videoCount; v++)
                {
                    Consumer c = consumers[index[v]];
                    bool share = c.Producer.Source == TrackSource.Screen;
                    if (share != (pass == 0) || assigned[v] >= wanted[v])
                    {
                        continue;
                    }
                    int next = NextActive(c, assigned[v], wanted[v], now);
                    long delta = Rate(c, next) - Rate(c, assigned[v]);
                    double allowed = next > c.CurrentLayer ? budget * UpgradeHeadroom
                        : congested ? budget : budget * UncongestedHold;
                    if (spend + delta <= allowed)
                    {
                        spend += delta;
                        assigned[v] = next;
                        raised = true;
                    }
                }
            }
        }

        for (int v = 0; v < videoCount; v++)
        {
            consumers[index[v]].SetMaxLayer(assigned[v] >= wanted[v] ? int.MaxValue : assigned[v]);
        }
        return desired;
    }

    /// <summary>Lifts every cap (the subscriber gives no bandwidth feedback).</summary>
    public static void Unlimit(ReadOnlySpan<Consumer> consumers)
    {
        foreach (Consumer c in consumers)
        {
            if (c.MaxLayer != int.MaxValue)
            {
                c.SetMaxLayer(int.MaxValue);
            }
        }
    }

    private static long Rate(Consumer c, int layer)
    {
        IReadOnlyList<ProducerLayer> layers = c.Producer.Layers;
        return (uint)layer < (uint)layers.Count ? layers[layer].BitsPerSecond : 0;
    }

    private static int LowestActive(Consumer c, long now)
    {
        IReadOnlyList<ProducerLayer> layers = c.Producer.Layers;
        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i].IsActive(now))
            {
                return i;
            }
        }
        return 0;
    }

    private static int NextActive(Consumer c, int from, int upTo, long now)
    {
        IReadOnlyList<ProducerLayer> layers = c.Producer.Layers;
        for (int i = from + 1; i < upTo; i++)
        {
            if (layers[i].IsActive(now))
            {
                return i;
            }
        }
        return upTo;
    }
}
