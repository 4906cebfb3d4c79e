namespace MediaRelay.Rtp.Rtcp;

/// <summary>
/// 64-bit NTP timestamps (RFC 3550 §4, https://www.rfc-editor.org/rfc/rfc3550#section-4): seconds since
/// 1900-01-01 UTC in the high 32 bits, binary fraction in the low 32. The "compact" form is the middle 32 bits
/// (16.16 fixed point), used for LSR and DLSR in report blocks (§6.4.1).
/// </summary>
public static class NtpTime
{
    /// <summary>Seconds from 1900-01-01 to 1970-01-01.</summary>
    public const long UnixEpochOffsetSeconds = 2_208_988_800L;

    private static readonly long NtpEpochTicks = new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    public static ulong FromDateTime(DateTime utc) => FromTicksSinceNtpEpoch(utc.ToUniversalTime().Ticks - NtpEpochTicks);

    public static ulong FromDateTimeOffset(DateTimeOffset time) => FromTicksSinceNtpEpoch(time.UtcTicks - NtpEpochTicks);

    public static ulong FromUnixMilliseconds(long unixMilliseconds) =>
        FromTicksSinceNtpEpoch((unixMilliseconds * TimeSpan.TicksPerMillisecond) + (UnixEpochOffsetSeconds * TimeSpan.TicksPerSecond));

    public static DateTime ToDateTime(ulong ntp)
    {
        ulong seconds = ntp >> 32;
        ulong fractionTicks = ((ntp & 0xFFFFFFFF) * TimeSpan.TicksPerSecond) >> 32;
        return new DateTime(NtpEpochTicks + ((long)seconds * TimeSpan.TicksPerSecond) + (long)fractionTicks, DateTimeKind.Utc);
    }

    /// <summary>The middle 32 bits (what an RR puts in LSR).</summary>
    public static uint ToCompact(ulong ntp) => (uint)(ntp >> 16);

    /// <summary>A duration as 1/65536 s units (DLSR), saturating at uint.MaxValue.</summary>
    public static uint DurationToCompact(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return 0;
        }
        ulong units = (ulong)((UInt128)(ulong)duration.Ticks * 65536 / (ulong)TimeSpan.TicksPerSecond);
        return units > uint.MaxValue ? uint.MaxValue : (uint)units;
    }

    public static TimeSpan CompactToDuration(uint compact) =>
        TimeSpan.FromTicks((long)(((ulong)compact * (ulong)TimeSpan.TicksPerSecond) >> 16));

    private static ulong FromTicksSinceNtpEpoch(long ticks)
    {
        if (ticks < 0)
        {
            return 0;
        }
        ulong seconds = (ulong)(ticks / TimeSpan.TicksPerSecond);
        ulong remainder = (ulong)(ticks % TimeSpan.TicksPerSecond);
        ulong fraction = (remainder << 32) / (ulong)TimeSpan.TicksPerSecond;
        return (seconds << 32) | fraction;
    }
}
