using System.Runtime.InteropServices;

namespace MediaRelay.Core;

/// <summary>
/// A fixed-capacity, lock-free multi-producer/multi-consumer queue of free items (D. Vyukov's bounded MPMC
/// queue): each cell carries a sequence number that says whether it is ready to be written or read, so neither
/// side ever allocates, locks or spins on another's progress beyond a compare-and-swap.
/// </summary>
internal sealed class BoundedFreeList<T> where T : class
{
    [StructLayout(LayoutKind.Sequential)]
    private struct Cell
    {
        public long Sequence;
        public T? Item;
    }

    private readonly Cell[] _cells;
    private readonly long _mask;
    private PaddedLong _enqueuePosition;
    private PaddedLong _dequeuePosition;

    public BoundedFreeList(int minimumCapacity)
    {
        int capacity = (int)Math.Max(2, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)minimumCapacity));
        _cells = new Cell[capacity];
        _mask = capacity - 1;
        for (int i = 0; i < capacity; i++)
        {
            _cells[i].Sequence = i;
        }
    }

    public int Count
    {
        get
        {
            long count = Volatile.Read(ref _enqueuePosition.Value) - Volatile.Read(ref _dequeuePosition.Value);
            return (int)Math.Clamp(count, 0, _cells.Length);
        }
    }

    public bool TryAdd(T item)
    {
        long position = Volatile.Read(ref _enqueuePosition.Value);
        while (true)
        {
            ref Cell cell = ref _cells[position & _mask];
            long sequence = Volatile.Read(ref cell.Sequence);
            long difference = sequence - position;
            if (difference == 0)
            {
                if (Interlocked.CompareExchange(ref _enqueuePosition.Value, position + 1, position) == position)
                {
                    cell.Item = item;
                    Volatile.Write(ref cell.Sequence, position + 1);
                    return true;
                }
            }
            else if (difference < 0)
            {
                return false; // full
            }
            position = Volatile.Read(ref _enqueuePosition.Value);
        }
    }

    public bool TryTake(out T item)
    {
        long position = Volatile.Read(ref _dequeuePosition.Value);
        while (true)
        {
            ref Cell cell = ref _cells[position & _mask];
            long sequence = Volatile.Read(ref cell.Sequence);
            long difference = sequence - (position + 1);
            if (difference == 0)
            {
                if (Interlocked.CompareExchange(ref _dequeuePosition.Value, position + 1, position) == position)
                {
                    item = cell.Item!;
                    cell.Item = null;
                    Volatile.Write(ref cell.Sequence, position + _mask + 1);
                    return true;
                }
            }
            else if (difference < 0)
            {
                item = null!;
                return false; // empty
            }
            position = Volatile.Read(ref _dequeuePosition.Value);
        }
    }
}
