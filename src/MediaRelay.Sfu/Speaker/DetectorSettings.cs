using System.Diagnostics;
using MediaRelay.Core;

namespace MediaRelay.Sfu.Speaker;

/// <summary><see cref="ActiveSpeakerOptions"/> validated and converted to Stopwatch ticks once, for the hot path.</summary>
internal readonly struct DetectorSettings
{
    public DetectorSettings(ActiveSpeakerOptions options)
    {
        if (options.SpeechThresholdDb is < 1 or > 127)
        {
            ThrowHelper.ThrowArgument("SpeechThresholdDb must be within 1..127.", nameof(options));
        }
        if (options.QuietestSpeechLevel > 127)
        {
            ThrowHelper.ThrowArgument("QuietestSpeechLevel must be within 0..127.", nameof(options));
        }
        if (options.ActivityThreshold is <= 0 or >= 1 || options.SwitchMargin is < 0 or >= 1)
        {
            ThrowHelper.ThrowArgument("ActivityThreshold must be within (0, 1) and SwitchMargin within [0, 1).", nameof(options));
        }
        if (options.NoiseFloorWindow < TimeSpan.FromMilliseconds(NoiseFloorTracker.BlockCount)
            || options.ActivityTimeConstant <= TimeSpan.Zero
            || options.SwitchHold < TimeSpan.Zero
            || options.PacketTimeout <= TimeSpan.Zero
            || (options.SilenceTimeout <= TimeSpan.Zero && options.SilenceTimeout != Timeout.InfiniteTimeSpan))
        {
            ThrowHelper.ThrowArgument("Time options must be positive (SilenceTimeout may be infinite).", nameof(options));
        }
        SpeechThresholdDb = options.SpeechThresholdDb;
        QuietestSpeechLevel = options.QuietestSpeechLevel;
        FloorBlockTicks = Math.Max(1, ToTicks(options.NoiseFloorWindow) / NoiseFloorTracker.BlockCount);
        InverseActivityTicks = 1.0 / ToTicks(options.ActivityTimeConstant);
        ActivityThreshold = options.ActivityThreshold;
        SwitchMargin = options.SwitchMargin;
        SwitchHoldSeconds = options.SwitchHold.TotalSeconds;
        SilenceTimeoutTicks = options.SilenceTimeout == Timeout.InfiniteTimeSpan ? long.MaxValue : ToTicks(options.SilenceTimeout);
        PacketTimeoutTicks = ToTicks(options.PacketTimeout);
        MaxUpdateTicks = ToTicks(TimeSpan.FromSeconds(1));
        MaxTickTicks = ToTicks(TimeSpan.FromMilliseconds(250));
    }

    public int SpeechThresholdDb { get; }
    public byte QuietestSpeechLevel { get; }
    public long FloorBlockTicks { get; }
    public double InverseActivityTicks { get; }
    public double ActivityThreshold { get; }
    public double SwitchMargin { get; }
    public double SwitchHoldSeconds { get; }
    public long SilenceTimeoutTicks { get; }
    public long PacketTimeoutTicks { get; }

    /// <summary>Longest interval one activity update integrates (a speaker silent for longer has decayed anyway).</summary>
    public long MaxUpdateTicks { get; }

    /// <summary>Longest tick interval credited to a challenger's lead, so a stalled loop cannot hand over the floor.</summary>
    public long MaxTickTicks { get; }

    public static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
