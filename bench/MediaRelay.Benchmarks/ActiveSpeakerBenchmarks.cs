using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using MediaRelay.Sfu.Speaker;

namespace MediaRelay.Benchmarks;

/// <summary>
/// Active speaker detection on the media loop: <see cref="AudioLevel"/> is one RFC 6464 level (the per-packet
/// cost), <see cref="Tick"/> one evaluation of a 16-speaker room (about every 20-100 ms). Expected allocation 0 B.
/// </summary>
[MemoryDiagnoser]
public class ActiveSpeakerBenchmarks
{
    private const int Speakers = 16;
    private readonly int[] _slots = new int[Speakers];
    private ActiveSpeakerDetector _detector = null!;
    private long _time;
    private int _frame;

    [GlobalSetup]
    public void Setup()
    {
        _detector = new ActiveSpeakerDetector(new NoOpSpeakerListener());
        for (int i = 0; i < Speakers; i++)
        {
            _slots[i] = _detector.AddSpeaker($"p{i}");
        }
        _time = Stopwatch.GetTimestamp();
    }

    [Benchmark]
    public void AudioLevel()
    {
        _frame++;
        _time += Stopwatch.Frequency / 1000;
        byte level = (byte)(_frame % 10 < 7 ? 30 : 70);
        _detector.OnAudioLevel(_slots[_frame & (Speakers - 1)], level, level < 60, _time);
    }

    [Benchmark]
    public void Tick()
    {
        _time += Stopwatch.Frequency / 50;
        _detector.Tick(_time);
    }

    private sealed class NoOpSpeakerListener : IActiveSpeakerListener
    {
        public void OnDominantSpeakerChanged(string? participantId)
        {
        }
    }
}
