using System.Runtime.CompilerServices;

namespace MediaRelay.Sfu.Speaker;

/// <summary>
/// Running minimum of a speaker's loudness (127 - RFC 6464 level, in dB above -127 dBov) over a sliding window,
/// kept as the minima of <see cref="BlockCount"/> consecutive blocks (minimum statistics): O(1) per sample, the
/// window advances one block at a time, and a noise level that rises is followed within one window.
/// Mutable struct owned by one speaker on the media loop.
/// </summary>
internal struct NoiseFloorTracker
{
    public const int BlockCount = 8;

    /// <summary>Marks a block without samples (greater than any loudness, so minima ignore it).</summary>
    public const byte Empty = byte.MaxValue;

    private Blocks _blocks;
    private int _next;
    private byte _current;
    private byte _completedMinimum;
    private long _blockStart;
    private bool _started;

    /// <summary>Floor loudness including the current block; <see cref="Empty"/> when no sample is in the window.</summary>
    public readonly int Floor => _current < _completedMinimum ? _current : _completedMinimum;

    /// <summary>Moves the window to <paramref name="timestamp"/>, closing elapsed blocks.</summary>
    public void Advance(long timestamp, long blockTicks)
    {
        if (!_started)
        {
            _started = true;
            _blockStart = timestamp;
            _current = Empty;
            _completedMinimum = Empty;
            _blocks[0] = Empty; // fill the ring; the inline array starts zeroed
            for (int i = 1; i < BlockCount; i++)
            {
                _blocks[i] = Empty;
            }
            return;
        }
        long elapsed = timestamp - _blockStart;
        if (elapsed < blockTicks)
        {
            return; // common case (and timestamps going backwards)
        }
        long closed = elapsed / blockTicks;
        int pushes = closed >= BlockCount ? BlockCount : (int)closed;
        for (int i = 0; i < pushes; i++)
        {
            _blocks[_next] = i == 0 ? _current : Empty;
            _next = _next == BlockCount - 1 ? 0 : _next + 1;
        }
        _current = Empty;
        _blockStart += closed * blockTicks;
        byte minimum = Empty;
        for (int i = 0; i < BlockCount; i++)
        {
            if (_blocks[i] < minimum)
            {
                minimum = _blocks[i];
            }
        }
        _completedMinimum = minimum;
    }

    public void Observe(int loudness)
    {
        if (loudness < _current)
        {
            _current = (byte)loudness;
        }
    }

    [InlineArray(BlockCount)]
    private struct Blocks
    {
        private byte _element;
    }
}
