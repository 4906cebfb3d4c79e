using System.Runtime.InteropServices;

namespace MediaRelay.Recording.Native;

/// <summary>Blittable mirror of mr_stream_info (native/mediarelay_av.h), 72 bytes on x86-64.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeStreamInfo
{
    public int MediaType;
    public int Codec;
    public int Width;
    public int Height;
    public int SampleRate;
    public int Channels;
    public long DurationMicroseconds;
    public int ExtradataSize;
    public fixed byte CodecName[32];
}
