namespace MediaRelay.Recording.Media;

/// <summary>
/// The frame buffers an assembler reuses: one frame being built plus up to <see cref="Slots"/> - 1 finished frames
/// waiting to be taken. Buffers grow (doubling) to the largest frame seen and are then reused, so steady-state
/// assembly allocates nothing. Not thread-safe; owned by one assembler.
/// </summary>
internal sealed class FrameRing
{
    private const int Slots = 4;

    private readonly byte[][] _buffers = new byte[Slots][];
    private readonly int[] _lengths = new int[Slots];
    private readonly long[] _timestamps = new long[Slots];
    private readonly bool[] _keyframes = new bool[Slots];
    private readonly int[] _widths = new int[Slots];
    private readonly int[] _heights = new int[Slots];
    private readonly long[] _arrivals = new long[Slots];
    private int _first;
    private int _ready;

    public FrameRing(int initialCapacity)
    {
        for (int i = 0; i < Slots; i++)
        {
            _buffers[i] = new byte[Math.Max(initialCapacity, 64)];
        }
    }

    /// <summary>Number of finished frames waiting.</summary>
    public int ReadyCount => _ready;

    /// <summary>Bytes written to the frame being built.</summary>
    public int BuildingLength => _lengths[BuildingIndex];

    /// <summary>The bytes of the frame being built.</summary>
    public Span<byte> Building => _buffers[BuildingIndex].AsSpan(0, _lengths[BuildingIndex]);

    /// <summary>Frames overwritten because nobody took them (the caller must drain after each push).</summary>
    public long Overwritten { get; private set; }

    private int BuildingIndex => (_first + _ready) % Slots;

    /// <summary>Discards whatever was being built.</summary>
    public void Reset() => _lengths[BuildingIndex] = 0;

    public void Append(ReadOnlySpan<byte> data)
    {
        int index = BuildingIndex;
        int length = _lengths[index];
        EnsureCapacity(index, length + data.Length);
        data.CopyTo(_buffers[index].AsSpan(length));
        _lengths[index] = length + data.Length;
    }

    /// <summary>Inserts <paramref name="data"/> at <paramref name="offset"/>, moving the rest up.</summary>
    public void Insert(int offset, ReadOnlySpan<byte> data)
    {
        int index = BuildingIndex;
        int length = _lengths[index];
        if ((uint)offset > (uint)length)
        {
            return;
        }
        EnsureCapacity(index, length + data.Length);
        byte[] buffer = _buffers[index];
        // Span.CopyTo is memmove-safe for overlapping ranges.
        buffer.AsSpan(offset, length - offset).CopyTo(buffer.AsSpan(offset + data.Length));
        data.CopyTo(buffer.AsSpan(offset));
        _lengths[index] = length + data.Length;
    }

    /// <summary>Finishes the frame being built and starts an empty one.</summary>
    public void Commit(long timestamp, bool keyframe, int width, int height, long arrivalMicroseconds)
    {
        int index = BuildingIndex;
        _timestamps[index] = timestamp;
        _keyframes[index] = keyframe;
        _widths[index] = width;
        _heights[index] = height;
        _arrivals[index] = arrivalMicroseconds;
        if (_ready == Slots - 1)
        {
            // Ring full: drop the oldest ready frame rather than the new one.
            _first = (_first + 1) % Slots;
            _ready--;
            Overwritten++;
        }
        _ready++;
        _lengths[BuildingIndex] = 0;
    }

    public bool TryTake(out EncodedFrame frame)
    {
        if (_ready == 0)
        {
            frame = default;
            return false;
        }
        int i = _first;
        frame = new EncodedFrame(_buffers[i].AsSpan(0, _lengths[i]), _timestamps[i], _keyframes[i], _widths[i], _heights[i], _arrivals[i]);
        _first = (_first + 1) % Slots;
        _ready--;
        return true;
    }

    private void EnsureCapacity(int index, int needed)
    {
        byte[] buffer = _buffers[index];
        if (needed <= buffer.Length)
        {
            return;
        }
        int size = buffer.Length;
        while (size < needed)
        {
            size *= 2;
        }
        Array.Resize(ref _buffers[index], size);
    }
}
