namespace MediaRelay.Recording.Media;

/// <summary>
/// Extends 32-bit RTP timestamps to 64 bits across wrap-around (RFC 3550 §5.1: the timestamp wraps modulo 2^32;
/// the same serial-number rule as the extended sequence number of §A.1). Steps of less than 2^31 in either
/// direction are taken as the true distance, so reordered (older) timestamps unwrap correctly.
/// </summary>
public struct RtpTimestampUnwrapper
{
    private long _last;
    private bool _started;

    public readonly bool Started => _started;

    public readonly long Last => _last;

    public long Unwrap(uint timestamp)
    {
        if (!_started)
        {
            _started = true;
            _last = timestamp;
            return _last;
        }
        int delta = (int)(timestamp - (uint)_last);
        _last += delta;
        return _last;
    }
}
