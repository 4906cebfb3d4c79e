namespace MediaRelay.Sfu.Bwe;

/// <summary>
/// Delay-gradient filter and over-use detector (draft-ietf-rmcat-gcc-02 §5.3–5.4, trendline variant): the
/// inter-group delay variation d = Δarrival − Δsend is accumulated, exponentially smoothed, and a least-squares
/// slope over the last <see cref="WindowSize"/> groups is compared against an adaptive threshold.
/// Constants (ms unless noted):
/// smoothing 0.9; window 20 groups; trend gain 4 × min(groups, 60); threshold starts at 12.5 and adapts with
/// k_up 0.0087 / k_down 0.039 per ms, clamped to [6, 600], not adapting on outliers beyond threshold + 15;
/// over-use needs the trend above threshold for more than 10 ms, on at least two groups, with a non-falling slope.
/// </summary>
public sealed class TrendlineEstimator
{
    public const int WindowSize = 20;
    private const double Smoothing = 0.9;
    private const double ThresholdGain = 4.0;
    private const int MaxDeltas = 60;
    private const double InitialThreshold = 12.5;
    private const double KUp = 0.0087;
    private const double KDown = 0.039;
    private const double OveruseTimeMs = 10;

    private readonly double[] _x = new double[WindowSize];
    private readonly double[] _y = new double[WindowSize];
    private int _count;
    private int _next;
    private double _firstArrivalMs = double.NaN;
    private double _accumulated;
    private double _smoothed;
    private int _deltas;
    private double _threshold = InitialThreshold;
    private double _lastThresholdUpdateMs = double.NaN;
    private double _timeOverusing = -1;
    private int _overuseCounter;
    private double _previousTrend;

    public BandwidthUsage State { get; private set; } = BandwidthUsage.Normal;

    /// <summary>The last slope (ms of queueing delay per ms).</summary>
    public double Trend { get; private set; }

    public double Threshold => _threshold;

    /// <summary>Feeds one completed packet group's deltas (µs) and its arrival time (µs); returns the new state.</summary>
    public BandwidthUsage Update(long arrivalDeltaMicros, long sendDeltaMicros, long arrivalMicros)
    {
        double arrivalMs = arrivalMicros / 1000.0;
        if (double.IsNaN(_firstArrivalMs))
        {
            _firstArrivalMs = arrivalMs;
        }
        double delta = (arrivalDeltaMicros - sendDeltaMicros) / 1000.0;
        _deltas = Math.Min(_deltas + 1, MaxDeltas);
        _accumulated += delta;
        _smoothed = (Smoothing * _smoothed) + ((1 - Smoothing) * _accumulated);
        _x[_next] = arrivalMs - _firstArrivalMs;
        _y[_next] = _smoothed;
        _next = (_next + 1) % WindowSize;
        _count = Math.Min(_count + 1, WindowSize);
        if (_count == WindowSize && TrySlope(out double slope))
        {
            Trend = slope;
        }
        Detect(arrivalDeltaMicros / 1000.0, arrivalMs);
        return State;
    }

    private bool TrySlope(out double slope)
    {
        double meanX = 0;
        double meanY = 0;
        for (int i = 0; i < _count; i++)
        {
            meanX += _x[i];
            meanY += _y[i];
        }
        meanX /= _count;
        meanY /= _count;
        double numerator = 0;
        double denominator = 0;
        for (int i = 0; i < _count; i++)
        {
            double dx = _x[i] - meanX;
            numerator += dx * (_y[i] - meanY);
            denominator += dx * dx;
        }
        slope = denominator == 0 ? 0 : numerator / denominator;
        return denominator != 0;
    }

    private void Detect(double arrivalDeltaMs, double nowMs)
    {
        double modified = Math.Min(_deltas, MaxDeltas) * Trend * ThresholdGain;
        if (modified > _threshold)
        {
            _timeOverusing = _timeOverusing < 0 ? arrivalDeltaMs / 2 : _timeOverusing + arrivalDeltaMs;
            _overuseCounter++;
            if (_timeOverusing > OveruseTimeMs && _overuseCounter > 1 && Trend >= _previousTrend)
            {
                _timeOverusing = 0;
                _overuseCounter = 0;
                State = BandwidthUsage.Overusing;
            }
        }
        else if (modified < -_threshold)
        {
            _timeOverusing = -1;
            _overuseCounter = 0;
            State = BandwidthUsage.Underusing;
        }
        else
        {
            _timeOverusing = -1;
            _overuseCounter = 0;
            State = BandwidthUsage.Normal;
        }
        _previousTrend = Trend;
        AdaptThreshold(modified, nowMs);
    }

    private void AdaptThreshold(double modified, double nowMs)
    {
        if (double.IsNaN(_lastThresholdUpdateMs))
        {
            _lastThresholdUpdateMs = nowMs;
        }
        double magnitude = Math.Abs(modified);
        if (magnitude > _threshold + 15)
        {
            _lastThresholdUpdateMs = nowMs;
            return;
        }
        double k = magnitude < _threshold ? KDown : KUp;
        double elapsed = Math.Clamp(nowMs - _lastThresholdUpdateMs, 0, 100);
        _threshold = Math.Clamp(_threshold + (k * (magnitude - _threshold) * elapsed), 6, 600);
        _lastThresholdUpdateMs = nowMs;
    }
}
