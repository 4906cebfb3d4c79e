using System.Diagnostics;
using MediaRelay.Core;

namespace MediaRelay.Sfu.Nack;

/// <summary>
/// Receiver side of generic NACK (RFC 4585 §6.2.1, https://www.rfc-editor.org/rfc/rfc4585#section-6.2.1) toward a
/// publisher: tracks the missing sequence numbers of one inbound stream and says which to request now.
/// <para>
/// Policy. A gap opens one entry per missing number. The first request waits <see cref="ReorderDelay"/> (default
/// 15 ms: internet reordering is a few ms, and on a 150-300 ms cross-border RTT waiting 15 ms costs little, while a
/// NACK for a packet already on its way costs a useless retransmission). Each entry is then requested again every
/// max(RTT, 20 ms) up to <see cref="MaxRequests"/> times (default 10); after that it is given up. Missing numbers
/// live in a fixed ring covering the last <c>capacity</c> sequence numbers (default 512), so memory is bounded:
/// an entry that falls out of the window is given up too. A forward jump of more than <see cref="MaxGap"/> (1000)
/// or a backward one of more than <see cref="MaxGap"/> is a stream reset: every entry is dropped (and a keyframe is
/// wanted).
/// </para>
/// <para>
/// <see cref="KeyFrameNeeded"/> rises whenever a packet is abandoned (given up, pushed out of the window, dropped
/// by a reset) or when more than <c>keyFrameThreshold</c> (default 500) numbers are missing at once; in the latter
/// case the entries are dropped as well, since a keyframe (PLI, RFC 4585 §6.3.1) repairs faster than 500
/// retransmissions. The caller sends the PLI and calls <see cref="ClearKeyFrameNeeded"/>; audio callers ignore it.
/// </para>
/// <para>
/// Times are <see cref="Stopwatch"/> ticks. Single-threaded (the media loop); <see cref="OnPacket"/> and
/// <see cref="CollectDue"/> allocate nothing. <see cref="CollectDue"/> returns the numbers in ascending (wrap-aware)
/// order, which is what <c>RtcpNack.Write</c> packs tightest.
/// </para>
/// </summary>
public sealed class NackGenerator
{
    public const int DefaultCapacity = 512;
    public const int DefaultMaxRequests = 10;
    public const int DefaultKeyFrameThreshold = 500;
    public const int MaxGap = 1000;
    public static readonly TimeSpan DefaultReorderDelay = TimeSpan.FromMilliseconds(15);
    public static readonly TimeSpan MinRetryInterval = TimeSpan.FromMilliseconds(20);

    private const long Empty = long.MinValue;

    private readonly long[] _sequences; // extended sequence number of the missing packet, or Empty
    private readonly long[] _dueAt;
    private readonly byte[] _requests;
    private readonly int _mask;
    private readonly long _reorderDelayTicks;
    private readonly long _minRetryTicks;
    private readonly int _keyFrameThreshold;
    private SequenceUnwrapper _unwrapper;
    private bool _started;
    private long _highest;
    private long _lowestMissing; // lower bound of the oldest entry; the scan starts there
    private int _missing;

    public NackGenerator(int capacity = DefaultCapacity, TimeSpan? reorderDelay = null, int maxRequests = DefaultMaxRequests,
        int keyFrameThreshold = DefaultKeyFrameThreshold)
    {
        if (capacity < 16 || capacity > 32768 || (capacity & (capacity - 1)) != 0)
        {
            ThrowHelper.ThrowArgument("The capacity must be a power of two between 16 and 32768.", nameof(capacity));
        }
        if (maxRequests < 1 || maxRequests > 255)
        {
            ThrowHelper.ThrowArgument("The maximum number of requests must be between 1 and 255.", nameof(maxRequests));
        }
        if (keyFrameThreshold < 1)
        {
            ThrowHelper.ThrowArgument("The keyframe threshold must be positive.", nameof(keyFrameThreshold));
        }
        ReorderDelay = reorderDelay ?? DefaultReorderDelay;
        if (ReorderDelay < TimeSpan.Zero)
        {
            ThrowHelper.ThrowArgument("The reordering delay must not be negative.", nameof(reorderDelay));
        }
        _sequences = new long[capacity];
        _dueAt = new long[capacity];
        _requests = new byte[capacity];
        _mask = capacity - 1;
        MaxRequests = maxRequests;
        _keyFrameThreshold = keyFrameThreshold;
        _reorderDelayTicks = ToTicks(ReorderDelay);
        _minRetryTicks = ToTicks(MinRetryInterval);
        Array.Fill(_sequences, Empty);
    }

    public TimeSpan ReorderDelay { get; }

    public int MaxRequests { get; }

    public int Capacity => _sequences.Length;

    /// <summary>Sequence numbers currently missing and not yet given up.</summary>
    public int MissingCount => _missing;

    /// <summary>Sequence numbers requested (every retry counts).</summary>
    public long NacksSent { get; private set; }

    /// <summary>Missing packets that arrived after at least one request.</summary>
    public long Recovered { get; private set; }

    /// <summary>Missing packets that arrived before any request (reordering).</summary>
    public long Reordered { get; private set; }

    /// <summary>Missing packets abandoned (retries exhausted, out of the window, reset or keyframe instead).</summary>
    public long GivenUp { get; private set; }

    /// <summary>Packets <see cref="OnPacket"/> reported as duplicates (already received, or given up).</summary>
    public long Duplicates { get; private set; }

    /// <summary>True when a packet was abandoned: ask the publisher for a keyframe (PLI), then clear the flag.</summary>
    public bool KeyFrameNeeded { get; private set; }

    public void ClearKeyFrameNeeded() => KeyFrameNeeded = false;

    /// <summary>
    /// Records the arrival of <paramref name="sequence"/> at <paramref name="now"/>. Returns true for a packet not
    /// seen before: newer than the highest, one that fills a gap (a retransmission or a reordered packet), or the
    /// first after a stream restart. Returns false for a duplicate: the highest again, or an older number that is not
    /// missing (it arrived already, or was given up) — e.g. a publisher's RTX "payload padding", which re-sends a
    /// recently sent packet to probe its uplink (RFC 4588 §4 lets a sender retransmit unasked). Forwarding such a
    /// copy would hand a subscriber an SRTP packet index it already received, which it discards as a replay
    /// (RFC 3711 §3.3.2).
    /// </summary>
    public bool OnPacket(ushort sequence, long now)
    {
        long extended = _unwrapper.Unwrap(sequence);
        if (!_started)
        {
            _started = true;
            _highest = extended;
            _lowestMissing = extended + 1;
            return true;
        }
        long diff = extended - _highest;
        if (diff == 0)
        {
            Duplicates++;
            return false;
        }
        if (diff > MaxGap || diff < -MaxGap)
        {
            Restart(extended);
            return true;
        }
        if (diff < 0)
        {
            if (OnLatePacket(extended))
            {
                return true;
            }
            Duplicates++;
            return false;
        }
        long due = now + _reorderDelayTicks;
        for (long s = _highest + 1; s <= extended; s++)
        {
            int slot = (int)(s & _mask);
            if (_sequences[slot] != Empty)
            {
                Abandon(slot); // a full window behind: out of the ring
            }
            if (s != extended)
            {
                _sequences[slot] = s;
                _dueAt[slot] = due;
                _requests[slot] = 0;
                _missing++;
            }
        }
        _highest = extended;
        if (_missing > _keyFrameThreshold)
        {
            DropAll();
        }
        return true;
    }

    /// <summary>
    /// Writes into <paramref name="destination"/> the sequence numbers to request now, oldest first, and returns
    /// how many. Entries past their last request are given up here. Numbers that do not fit stay due for the next
    /// call. <paramref name="rtt"/> is the measured round-trip time (the retry interval is max(rtt, 20 ms)).
    /// </summary>
    public int CollectDue(long now, TimeSpan rtt, Span<ushort> destination)
    {
        if (_missing == 0)
        {
            return 0;
        }
        long retryTicks = Math.Max(ToTicks(rtt), _minRetryTicks);
        long start = Math.Max(_lowestMissing, _highest - _mask);
        long firstPresent = Empty;
        int written = 0;
        for (long s = start; s < _highest; s++)
        {
            int slot = (int)(s & _mask);
            if (_sequences[slot] != s)
            {
                continue;
            }
            if (now < _dueAt[slot])
            {
                if (firstPresent == Empty)
                {
                    firstPresent = s;
                }
                continue;
            }
            if (_requests[slot] >= MaxRequests)
            {
                Abandon(slot);
                continue;
            }
            if (written == destination.Length)
            {
                if (firstPresent == Empty)
                {
                    firstPresent = s;
                }
                break;
            }
            if (firstPresent == Empty)
            {
                firstPresent = s;
            }
            destination[written++] = (ushort)s;
            _requests[slot]++;
            _dueAt[slot] = now + retryTicks;
            NacksSent++;
        }
        _lowestMissing = firstPresent == Empty ? _highest + 1 : firstPresent;
        return written;
    }

    /// <summary>Forgets every missing packet and the highest sequence number (new SSRC or stream restart).</summary>
    public void Reset()
    {
        ClearEntries(countAsGivenUp: false);
        _started = false;
        _unwrapper = default;
    }

    /// <summary>True when <paramref name="extended"/> was missing (it is no longer).</summary>
    private bool OnLatePacket(long extended)
    {
        int slot = (int)(extended & _mask);
        if (_sequences[slot] != extended)
        {
            return false; // duplicate, given up, or too old for the window
        }
        if (_requests[slot] > 0)
        {
            Recovered++;
        }
        else
        {
            Reordered++;
        }
        _sequences[slot] = Empty;
        _missing--;
        return true;
    }

    private void Restart(long extended)
    {
        DropAll();
        KeyFrameNeeded = true; // over 1000 packets lost, or the stream restarted: the decoder needs a keyframe
        _highest = extended;
        _lowestMissing = extended + 1;
    }

    private void DropAll()
    {
        if (_missing > 0)
        {
            ClearEntries(countAsGivenUp: true);
        }
    }

    private void ClearEntries(bool countAsGivenUp)
    {
        if (countAsGivenUp && _missing > 0)
        {
            GivenUp += _missing;
            KeyFrameNeeded = true;
        }
        Array.Fill(_sequences, Empty);
        _missing = 0;
        _lowestMissing = _highest + 1;
    }

    private void Abandon(int slot)
    {
        _sequences[slot] = Empty;
        _missing--;
        GivenUp++;
        KeyFrameNeeded = true;
    }

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
