using System.Diagnostics;
using MediaRelay.Core;

namespace MediaRelay.Sfu.Nack;

/// <summary>
/// Sender side of generic NACK (RFC 4585 §6.2.1, https://www.rfc-editor.org/rfc/rfc4585#section-6.2.1) toward one
/// subscriber: decides whether a requested packet is resent (RFC 4588 §3, https://www.rfc-editor.org/rfc/rfc4588#section-3,
/// a sender may choose not to retransmit). It keys on the consumer's OUTPUT sequence number and enforces:
/// <list type="bullet">
/// <item>a per-sequence throttle: the same number is not resent twice within RTT/2 (the first copy cannot have
/// been seen missing again yet; the receiver's retries are at least an RTT apart);</item>
/// <item>a per-NACK budget (<c>maxPerNack</c>, reset by <see cref="BeginNack"/>);</item>
/// <item>a per-second budget (<c>maxPerSecond</c>, a token bucket that may burst up to one second's worth), so a
/// lossy subscriber cannot turn the SFU into a retransmission amplifier.</item>
/// </list>
/// Usage for each RTCP NACK: <c>BeginNack()</c>; for each number in it: map the output number to the producer's
/// input number (the consumer's rewrite), look it up in the <see cref="RetransmissionCache"/>, and only on a hit ask
/// <see cref="ShouldResend"/> (so misses spend no budget); if true, rewrite and send the packet (RTX or plain).
/// Times are <see cref="Stopwatch"/> ticks. Single-threaded; allocation-free after construction.
/// </summary>
public sealed class NackResponder
{
    public const int DefaultCapacity = 1024;
    public const int DefaultMaxPerNack = 256;
    public const int DefaultMaxPerSecond = 1000;
    public static readonly TimeSpan DefaultRtt = TimeSpan.FromMilliseconds(100);

    private const long NeverSent = long.MinValue;

    private readonly ushort[] _sequences;
    private readonly long[] _sentAt;
    private readonly int _mask;
    private readonly int _maxPerNack;
    private readonly long _maxPerSecond;
    private readonly long _bucketSize; // tokens are scaled by Stopwatch.Frequency: one resend costs Frequency
    private long _tokens;
    private long _lastRefill = NeverSent;
    private long _throttleTicks;
    private int _inThisNack;

    public NackResponder(int maxPerNack = DefaultMaxPerNack, int maxPerSecond = DefaultMaxPerSecond, int capacity = DefaultCapacity)
    {
        if (capacity < 1 || capacity > 65536 || (capacity & (capacity - 1)) != 0)
        {
            ThrowHelper.ThrowArgument("The capacity must be a power of two between 1 and 65536.", nameof(capacity));
        }
        if (maxPerNack < 1)
        {
            ThrowHelper.ThrowArgument("The per-NACK budget must be positive.", nameof(maxPerNack));
        }
        if (maxPerSecond < 1 || maxPerSecond > 1_000_000)
        {
            ThrowHelper.ThrowArgument("The per-second budget must be between 1 and 1,000,000.", nameof(maxPerSecond));
        }
        _sequences = new ushort[capacity];
        _sentAt = new long[capacity];
        Array.Fill(_sentAt, NeverSent);
        _mask = capacity - 1;
        _maxPerNack = maxPerNack;
        _maxPerSecond = maxPerSecond;
        _bucketSize = maxPerSecond * Stopwatch.Frequency;
        _tokens = _bucketSize;
        SetRtt(DefaultRtt);
    }

    /// <summary>Resends allowed.</summary>
    public long Resent { get; private set; }

    /// <summary>Requests refused because the same number was resent less than RTT/2 ago.</summary>
    public long Throttled { get; private set; }

    /// <summary>Requests refused by the per-NACK or per-second budget.</summary>
    public long OverBudget { get; private set; }

    /// <summary>Sets the RTT that sizes the per-sequence throttle (RTT/2). Call when a new RTT is measured.</summary>
    public void SetRtt(TimeSpan rtt)
    {
        if (rtt < TimeSpan.Zero)
        {
            rtt = TimeSpan.Zero;
        }
        _throttleTicks = (long)(rtt.TotalSeconds * Stopwatch.Frequency) / 2;
    }

    /// <summary>Starts a new received NACK packet: resets the per-NACK budget.</summary>
    public void BeginNack() => _inThisNack = 0;

    /// <summary>
    /// True when the packet with consumer output number <paramref name="outputSequence"/> should be resent now; the
    /// resend is then counted against the throttle and both budgets.
    /// </summary>
    public bool ShouldResend(ushort outputSequence, long now)
    {
        int slot = outputSequence & _mask;
        long sentAt = _sentAt[slot];
        if (sentAt != NeverSent && _sequences[slot] == outputSequence && now - sentAt < _throttleTicks)
        {
            Throttled++;
            return false;
        }
        Refill(now);
        long cost = Stopwatch.Frequency;
        if (_inThisNack >= _maxPerNack || _tokens < cost)
        {
            OverBudget++;
            return false;
        }
        _tokens -= cost;
        _inThisNack++;
        _sequences[slot] = outputSequence;
        _sentAt[slot] = now;
        Resent++;
        return true;
    }

    private void Refill(long now)
    {
        if (_lastRefill == NeverSent)
        {
            _lastRefill = now;
            return;
        }
        long elapsed = now - _lastRefill;
        if (elapsed <= 0)
        {
            return;
        }
        _lastRefill = now;
        if (elapsed >= Stopwatch.Frequency)
        {
            _tokens = _bucketSize; // a second or more idle: full bucket (and no overflow below)
            return;
        }
        _tokens = Math.Min(_bucketSize, _tokens + (elapsed * _maxPerSecond));
    }
}
