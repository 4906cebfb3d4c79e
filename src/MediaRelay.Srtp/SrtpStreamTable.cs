namespace MediaRelay.Srtp;

/// <summary>
/// Per-SSRC state of one direction of a crypto context (RFC 3711 §3.2.1): the highest accepted packet index
/// (SRTP: ROC·2^16 + s_l; SRTCP: index) and its replay bitmap. Preallocated arrays, linear scan with a
/// last-hit shortcut: no allocation per packet. For the sending SRTCP side, Highest holds the next index.
/// </summary>
internal sealed class SrtpStreamTable
{
    private readonly uint[] _ssrcs;
    private readonly ulong[] _highest;
    private readonly ulong[] _bitmaps;
    private readonly int _words;
    private int _count;
    private int _last;

    public SrtpStreamTable(int maxStreams, int windowWords)
    {
        _ssrcs = new uint[maxStreams];
        _highest = new ulong[maxStreams];
        _words = windowWords;
        _bitmaps = new ulong[maxStreams * windowWords];
    }

    public bool IsFull => _count == _ssrcs.Length;

    public int Count => _count;

    public int Find(uint ssrc)
    {
        int last = _last;
        uint[] ssrcs = _ssrcs;
        if (last < _count && ssrcs[last] == ssrc)
        {
            return last;
        }

        for (int i = 0; i < _count; i++)
        {
            if (ssrcs[i] == ssrc)
            {
                _last = i;
                return i;
            }
        }

        return -1;
    }

    /// <summary>Adds a stream whose first accepted index is <paramref name="index"/>; -1 when the table is full.</summary>
    public int Add(uint ssrc, ulong index, bool markReceived)
    {
        if (IsFull)
        {
            return -1;
        }

        int slot = _count++;
        _ssrcs[slot] = ssrc;
        _highest[slot] = index;
        Span<ulong> bitmap = Bitmap(slot);
        bitmap.Clear();
        if (markReceived && !bitmap.IsEmpty)
        {
            SrtpReplayWindow.Accept(bitmap, ref _highest[slot], index);
        }

        _last = slot;
        return slot;
    }

    public ref ulong Highest(int slot) => ref _highest[slot];

    public Span<ulong> Bitmap(int slot) => _bitmaps.AsSpan(slot * _words, _words);
}
