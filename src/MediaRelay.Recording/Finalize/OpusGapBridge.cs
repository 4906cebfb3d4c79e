using MediaRelay.Recording.Media;

namespace MediaRelay.Recording.Finalize;

/// <summary>
/// The frames one track contributes to a file. For an Opus track, holes in its timestamps (lost packets, DTX, a
/// network drop) are filled with Opus silence (<see cref="OpusGapFill"/>, <see cref="OpusSilence"/>) so the audio
/// in the file is contiguous: players, browsers' audio renderers in particular, do not fill a timestamp hole but play
/// the next packet at once, and the audio would then run ahead of the video for the rest of the file. The silence
/// frames come out in time order between the real ones, so the finalizer's merge by time interleaves them like any
/// frame. Their TOC stereo bit copies the packet before the hole, so the decoder sees no change of coding. Video
/// (and any other codec) passes through: a gap holds the last picture. Must be created with the source on its first
/// frame; with <c>leadInFrom</c> before that frame, the track is led in with silence from then (audio that began after
/// its participant's video), planned like any hole.
/// </summary>
internal sealed class OpusGapBridge
{
    private readonly IFrameSource _source;
    private readonly bool _enabled;
    private OpusGapFill _fill;
    private bool _filling;
    private long _fillTime;
    private int _fillSamples;
    private long _end;
    private int _lastSamples;
    private bool _stereo;

    public OpusGapBridge(IFrameSource source, long leadInFrom = long.MaxValue)
    {
        _source = source;
        _enabled = !source.IsVideo && string.Equals(source.Metadata.Codec, "opus", StringComparison.OrdinalIgnoreCase);
        _stereo = source.Metadata.Channels >= 2;
        Observe();
        if (_enabled && leadInFrom < source.Time && _fill.Begin(leadInFrom, source.Time, _lastSamples) == OpusGapDecision.Bridged)
        {
            GapsBridged++;
            _filling = NextSilence(); // the source's first frame stays current behind the silence
        }
    }

    public IFrameSource Source => _source;

    /// <summary>The current frame's time on the room clock, µs.</summary>
    public long Time => _filling ? _fillTime : _source.Time;

    public bool IsKeyframe => _filling || _source.IsKeyframe;

    public ReadOnlySpan<byte> Frame => _filling ? OpusSilence.Packet(_fillSamples, _stereo) : _source.Frame;

    /// <summary>Holes filled with silence, a lead-in included.</summary>
    public long GapsBridged { get; private set; }

    /// <summary>Holes longer than <see cref="OpusGapFill.MaxGapMicroseconds"/>, left as holes.</summary>
    public long GapsLeft { get; private set; }

    public long SilenceFrames { get; private set; }

    public long SilenceMicroseconds { get; private set; }

    /// <summary>Advances to the next frame, a silence frame or the source's; false at the end of the track.</summary>
    public bool MoveNext()
    {
        if (_filling)
        {
            if (NextSilence())
            {
                return true;
            }
            _filling = false; // the source's frame after the hole is current again
            Observe();
            return true;
        }
        if (!_source.MoveNext())
        {
            return false;
        }
        if (_enabled)
        {
            switch (_fill.Begin(_end, _source.Time, _lastSamples))
            {
                case OpusGapDecision.Bridged:
                    GapsBridged++;
                    _filling = NextSilence();
                    break;
                case OpusGapDecision.TooLong:
                    GapsLeft++;
                    break;
            }
        }
        if (!_filling)
        {
            Observe();
        }
        return true;
    }

    private bool NextSilence()
    {
        if (!_fill.TryNext(out _fillTime, out _fillSamples))
        {
            return false;
        }
        SilenceFrames++;
        SilenceMicroseconds += OpusToc.SamplesToMicroseconds(_fillSamples);
        return true;
    }

    /// <summary>Notes where the source's current frame ends and how it is coded.</summary>
    private void Observe()
    {
        if (!_enabled)
        {
            return;
        }
        ReadOnlySpan<byte> frame = _source.Frame;
        _lastSamples = OpusToc.PacketSamples(frame);
        _end = _source.Time + OpusToc.SamplesToMicroseconds(_lastSamples > 0 ? _lastSamples : OpusSilence.FrameSamples);
        if (!frame.IsEmpty)
        {
            _stereo = OpusToc.IsStereo(frame[0]);
        }
    }
}
