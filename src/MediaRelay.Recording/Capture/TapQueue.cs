namespace MediaRelay.Recording.Capture;

/// <summary>
/// The bounded queue between the media loop(s) and the recorder's writer thread: a fixed array of cells with
/// per-cell sequence numbers (Vyukov's bounded MPMC design), so enqueueing takes no lock, never blocks and never
/// allocates. A full queue refuses the item; the caller counts the drop. Any number of producers, one consumer.
/// </summary>
public sealed class TapQueue
{
    private readonly Cell[] _cells;
    private readonly int _mask;
    private long _enqueuePosition;
    private long _dequeuePosition;
    private long _dropped;

    public TapQueue(int capacity)
    {
        if (capacity < 2 || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), "The capacity is a power of two, at least 2.");
        }
        _cells = new Cell[capacity];
        _mask = capacity - 1;
        for (int i = 0; i < capacity; i++)
        {
            _cells[i].Sequence = i;
        }
    }

    public int Capacity => _cells.Length;

    /// <summary>Items waiting (approximate while producers run).</summary>
    public int Count => (int)Math.Max(0, Volatile.Read(ref _enqueuePosition) - Volatile.Read(ref _dequeuePosition));

    /// <summary>Items refused because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public bool TryEnqueue(in TapItem item)
    {
        long position = Volatile.Read(ref _enqueuePosition);
        while (true)
        {
            ref Cell cell = ref _cells[position & _mask];
            long sequence = Volatile.Read(ref cell.Sequence);
            long difference = sequence - position;
            if (difference == 0)
            {
                if (Interlocked.CompareExchange(ref _enqueuePosition, position + 1, position) == position)
                {
                    cell.Item = item;
                    Volatile.Write(ref cell.Sequence, position + 1);
                    return true;
                }
                position = Volatile.Read(ref _enqueuePosition);
            }
            else if (difference < 0)
            {
                Interlocked.Increment(ref _dropped);
                return false; // full: the consumer has not freed this cell yet
            }
            else
            {
                position = Volatile.Read(ref _enqueuePosition);
            }
        }
    }

    /// <summary>The oldest item, if any. One consumer thread only.</summary>
    public bool TryDequeue(out TapItem item)
    {
        long position = _dequeuePosition;
        ref Cell cell = ref _cells[position & _mask];
        long sequence = Volatile.Read(ref cell.Sequence);
        if (sequence - (position + 1) < 0)
        {
            item = default;
            return false;
        }
        item = cell.Item;
        cell.Item = default;
        Volatile.Write(ref _dequeuePosition, position + 1);
        Volatile.Write(ref cell.Sequence, position + _cells.Length);
        return true;
    }

    private struct Cell
    {
        public long Sequence;
        public TapItem Item;
    }
}
