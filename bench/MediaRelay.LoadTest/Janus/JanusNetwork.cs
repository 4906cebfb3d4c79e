using System.Diagnostics;
using System.Net.NetworkInformation;

namespace MediaRelay.LoadTest.Janus;

/// <summary>
/// Sets up the interface Janus gathers its candidate on: a veth pair whose first end carries 127.0.0.2/32.
/// Only meaningful inside a private network namespace (the load tool started as <c>unshare -rn ...</c>,
/// which also grants the CAP_NET_ADMIN that <c>ip link add</c> needs); Janus skips loopback interfaces.
/// </summary>
public static class JanusNetwork
{
    /// <summary>Creates <paramref name="interfaceName"/> (and its peer) unless <see cref="JanusProcess.CanRun"/> already passes.</summary>
    public static async Task EnsureInterfaceAsync(string interfaceName, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(interfaceName);
        if (JanusProcess.CanRun(out _, interfaceName))
        {
            return;
        }

        if (!IsFreshNetworkNamespace())
        {
            throw new InvalidOperationException(
                $"refusing to create {interfaceName}: this network namespace has interfaces besides lo, so it is "
                + "probably the machine's own; run the load tool as 'unshare -rn ...' (see Janus/README.md)");
        }

        string peer = interfaceName + "p";
        await IpAsync(ct, "link", "set", "lo", "up").ConfigureAwait(false);
        await IpAsync(ct, "link", "add", interfaceName, "type", "veth", "peer", "name", peer).ConfigureAwait(false);
        await IpAsync(ct, "addr", "add", JanusProcess.CandidateAddress + "/32", "dev", interfaceName).ConfigureAwait(false);
        await IpAsync(ct, "link", "set", interfaceName, "up").ConfigureAwait(false);
        await IpAsync(ct, "link", "set", peer, "up").ConfigureAwait(false);
    }

    /// <summary>
    /// True when this network namespace has only 'lo', as a fresh 'unshare -n' namespace does. Anything else
    /// (eth0...) means we are in the machine's own namespace, which we must not reconfigure. (Comparing
    /// /proc/1/ns/net is not an option: in sandboxes pid 1's link is unreadable.)
    /// </summary>
    public static bool IsFreshNetworkNamespace()
    {
        foreach (NetworkInterface nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.NetworkInterfaceType != NetworkInterfaceType.Loopback && nic.Name != "lo")
            {
                return false;
            }
        }

        return true;
    }

    private static async Task IpAsync(CancellationToken ct, params string[] args)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process ip = Process.Start(start) ?? throw new InvalidOperationException("could not start ip");
        string error = await ip.StandardError.ReadToEndAsync(ct).ConfigureAwait(false);
        await ip.WaitForExitAsync(ct).ConfigureAwait(false);
        if (ip.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'ip {string.Join(' ', args)}' failed ({error.Trim()}); run the load tool as 'unshare -rn ...' "
                + "so it has a private network namespace it may configure");
        }
    }
}
