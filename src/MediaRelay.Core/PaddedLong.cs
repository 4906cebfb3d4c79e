using System.Runtime.InteropServices;

namespace MediaRelay.Core;

/// <summary>A long alone on its cache line, so two hot counters written by different threads do not false-share.</summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct PaddedLong
{
    [FieldOffset(64)]
    public long Value;
}
