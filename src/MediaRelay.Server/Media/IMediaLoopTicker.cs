namespace MediaRelay.Server.Media;

/// <summary>Work that must run periodically on the media loop thread (no lock against the packet path).</summary>
public interface IMediaLoopTicker
{
    void OnMediaLoopTick(long timestamp);
}
