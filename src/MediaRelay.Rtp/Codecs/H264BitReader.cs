namespace MediaRelay.Rtp.Codecs;

/// <summary>
/// Reads bits and Exp-Golomb codes (ITU-T H.264 §7.2, §9.1) from a NAL unit's payload, dropping emulation
/// prevention bytes (00 00 03 → 00 00, §7.4.1) on the fly. Reading past the end sets <see cref="Failed"/> and returns
/// zeros; it never throws.
/// </summary>
internal ref struct H264BitReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;
    private int _zeros;
    private int _current;
    private int _bitsLeft;

    public H264BitReader(ReadOnlySpan<byte> data)
    {
        _data = data;
    }

    public bool Failed { get; private set; }

    public int ReadBit()
    {
        if (_bitsLeft == 0 && !LoadByte())
        {
            Failed = true;
            return 0;
        }
        _bitsLeft--;
        return (_current >> _bitsLeft) & 1;
    }

    public int ReadBits(int count)
    {
        int value = 0;
        for (int i = 0; i < count; i++)
        {
            value = (value << 1) | ReadBit();
        }
        return value;
    }

    /// <summary>ue(v), §9.1. Codes longer than 31 bits fail.</summary>
    public uint ReadUnsignedExpGolomb()
    {
        int leadingZeros = 0;
        while (ReadBit() == 0)
        {
            if (Failed || ++leadingZeros > 31)
            {
                Failed = true;
                return 0;
            }
        }
        return (uint)((1L << leadingZeros) - 1 + ReadBits(leadingZeros));
    }

    /// <summary>se(v), §9.1.1.</summary>
    public int ReadSignedExpGolomb()
    {
        uint k = ReadUnsignedExpGolomb();
        return (k & 1) != 0 ? (int)((k + 1) / 2) : -(int)(k / 2);
    }

    private bool LoadByte()
    {
        if (_position >= _data.Length)
        {
            return false;
        }
        byte b = _data[_position];
        if (_zeros >= 2 && b == 3)
        {
            _position++;
            _zeros = 0;
            if (_position >= _data.Length)
            {
                return false;
            }
            b = _data[_position];
        }
        _zeros = b == 0 ? _zeros + 1 : 0;
        _current = b;
        _position++;
        _bitsLeft = 8;
        return true;
    }
}
