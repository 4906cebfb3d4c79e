namespace MediaRelay.Recording.Native;

/// <summary>A demuxed packet; <see cref="Data"/> points into native memory valid until the next read.</summary>
public readonly ref struct MediaPacket
{
    public MediaPacket(int stream, long ptsMicroseconds, bool isKeyframe, ReadOnlySpan<byte> data)
    {
        Stream = stream;
        PtsMicroseconds = ptsMicroseconds;
        IsKeyframe = isKeyframe;
        Data = data;
    }

    public int Stream { get; }

    public long PtsMicroseconds { get; }

    public bool IsKeyframe { get; }

    public ReadOnlySpan<byte> Data { get; }
}
