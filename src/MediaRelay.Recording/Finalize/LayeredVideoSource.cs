using MediaRelay.Recording.Journal;

namespace MediaRelay.Recording.Finalize;

/// <summary>
/// One video stream made of a simulcast producer's layers (RFC 8853: each layer its own RTP stream and journal),
/// each mapped to the room clock by its own sender reports. At every moment it takes the best layer the publisher
/// was sending: the first key frame of any layer starts the stream; a key frame of a higher layer switches up; when
/// the current layer has been silent for <see cref="SwitchDownAfterMicroseconds"/> (the encoder paused it, say for
/// lack of bandwidth) a key frame of a lower layer switches down. Switches happen only at key frames, so every
/// frame decodes; the picture size changes with the layer, which VP8 and H.264 carry in each key frame.
/// </summary>
internal sealed class LayeredVideoSource : IFrameSource
{
    /// <summary>How long the current layer may be silent before a lower layer's key frame takes over, µs.</summary>
    public const long SwitchDownAfterMicroseconds = 400_000;

    /// <summary>Frames of different layers closer than this are one capture instant (frames are ≥ 16 ms apart), µs.</summary>
    private const long SameInstantMicroseconds = 8_000;

    private readonly TrackFrameSource[] _layers;
    private readonly bool[] _has;
    private byte[] _frame = new byte[64 * 1024];
    private bool _primed;
    private int _current = -1;

    /// <param name="layers">The producer's layer journals, lowest layer first; owned (disposed) by this source.</param>
    public LayeredVideoSource(IReadOnlyList<TrackFrameSource> layers)
    {
        _layers = [.. layers];
        _has = new bool[_layers.Length];
        Metadata = _layers[^1].Metadata;
    }

    public TrackJournalMetadata Metadata { get; }

    public bool IsVideo => true;

    public long Time { get; private set; } = long.MinValue;

    public bool IsKeyframe { get; private set; }

    public int Width { get; private set; }

    public int Height { get; private set; }

    public ReadOnlySpan<byte> Frame => _frame.AsSpan(0, FrameLength);

    public int FrameLength { get; private set; }

    public long Frames { get; private set; }

    /// <summary>Layer changes after the first frame.</summary>
    public int Switches { get; private set; }

    /// <summary>The layer the current frame came from.</summary>
    public int Layer => _current < 0 ? -1 : _layers[_current].Metadata.Layer;

    public long LostPackets
    {
        get
        {
            long lost = 0;
            foreach (TrackFrameSource layer in _layers)
            {
                lost += layer.LostPackets;
            }
            return lost;
        }
    }

    public bool Truncated => _layers.Any(l => l.Truncated);

    public bool MoveNext()
    {
        if (!_primed)
        {
            _primed = true;
            for (int i = 0; i < _layers.Length; i++)
            {
                _has[i] = _layers[i].MoveNext();
            }
        }
        while (true)
        {
            int next = -1;
            for (int i = 0; i < _layers.Length; i++)
            {
                if (_has[i] && (next < 0 || _layers[i].Time < _layers[next].Time))
                {
                    next = i;
                }
            }
            if (next < 0)
            {
                return false;
            }
            // The layers' frames of one capture instant map to times a few ms apart (each layer has its own sender
            // reports and arrival jitter): among them, the highest layer goes first.
            for (int i = _layers.Length - 1; i > next; i--)
            {
                if (_has[i] && _layers[i].Time - _layers[next].Time <= SameInstantMicroseconds)
                {
                    next = i;
                    break;
                }
            }
            TrackFrameSource layer = _layers[next];
            bool take = false;
            if (Frames == 0 || layer.Time > Time)
            {
                if (next == _current)
                {
                    take = true;
                }
                else if (layer.IsKeyframe && (_current < 0 || next > _current || layer.Time - Time > SwitchDownAfterMicroseconds))
                {
                    Switches += _current < 0 ? 0 : 1;
                    _current = next;
                    take = true;
                }
            }
            if (take)
            {
                Take(layer);
            }
            _has[next] = layer.MoveNext();
            if (take)
            {
                return true;
            }
        }
    }

    private void Take(TrackFrameSource layer)
    {
        ReadOnlySpan<byte> frame = layer.Frame;
        if (frame.Length > _frame.Length)
        {
            _frame = new byte[Math.Max(frame.Length, _frame.Length * 2)];
        }
        frame.CopyTo(_frame);
        FrameLength = frame.Length;
        Time = layer.Time;
        IsKeyframe = layer.IsKeyframe;
        if (layer.IsKeyframe && layer.Width > 0)
        {
            Width = layer.Width;
            Height = layer.Height;
        }
        Frames++;
    }

    public void Dispose()
    {
        foreach (TrackFrameSource layer in _layers)
        {
            layer.Dispose();
        }
    }
}
