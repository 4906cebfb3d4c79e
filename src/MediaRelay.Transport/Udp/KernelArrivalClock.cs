using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace MediaRelay.Transport.Udp;

/// <summary>
/// When the kernel received the datagram a socket handed over last (Linux socket(7) SIOCGSTAMPNS: the packet's
/// arrival time, CLOCK_REALTIME), as <see cref="Stopwatch"/> ticks. A datagram can wait in the socket buffer while
/// the receive loop is busy with the ones before it; timing from the kernel's arrival keeps that wait inside the
/// server's forward latency and gives transport-wide feedback the true arrival. One ioctl per received datagram,
/// no allocation. Where it is not available the caller's own receive time is used.
/// </summary>
public static unsafe class KernelArrivalClock
{
    private const nuint SiocGStampNs = 0x8907; // linux/sockios.h
    private const long NanosecondsPerSecond = 1_000_000_000;
    private const long MaxAgeNanoseconds = NanosecondsPerSecond; // a wall-clock step, not a queue: ignore it

    private static readonly double TicksPerNanosecond = Stopwatch.Frequency / (double)NanosecondsPerSecond;

    /// <summary>64-bit Linux, where struct timespec is two 64-bit fields.</summary>
    public static bool IsSupported { get; } = OperatingSystem.IsLinux() && Environment.Is64BitProcess;

    /// <summary>Turns arrival stamping on for the socket (the first request does; it has no stamp to give yet).</summary>
    public static bool Enable(Socket socket)
    {
        if (!IsSupported)
        {
            return false;
        }
        Timespec stamp;
        int result = ioctl((int)socket.Handle, SiocGStampNs, &stamp);
        return result == 0 || Marshal.GetLastPInvokeError() == 2; // ENOENT: enabled, nothing received yet
    }

    /// <summary>
    /// The arrival of the datagram just received on <paramref name="fd"/>, in Stopwatch ticks;
    /// <paramref name="fallback"/> (the caller's receive time) when the kernel has none.
    /// </summary>
    public static long ArrivalTicks(int fd, long fallback)
    {
        Timespec stamp;
        if (ioctl(fd, SiocGStampNs, &stamp) != 0)
        {
            return fallback;
        }
        // Both clocks read together, after the ioctl, so the age is not off by the ioctl's own time.
        long now = Stopwatch.GetTimestamp();
        long realtimeNow = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;
        long age = realtimeNow - ((stamp.Seconds * NanosecondsPerSecond) + stamp.Nanoseconds);
        if (age <= 0 || age > MaxAgeNanoseconds)
        {
            return fallback;
        }
        return now - (long)(age * TicksPerNanosecond);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int ioctl(int fd, nuint request, Timespec* stamp);
}
