using System.Globalization;
using System.Net;
using MediaRelay.LoadTest;
using MediaRelay.LoadTest.Measurement;
using MediaRelay.LoadTest.Reflector;
using MediaRelay.LoadTest.Reporting;
using MediaRelay.LoadTest.Targets;

// MediaRelay.LoadTest — end-to-end load against MediaRelay, a bare UDP reflector and Janus VideoRoom.
//   run    [options]   ramp each target until loss > 1 % or p99 > 5 ms; tables, RESULTS-style Markdown, PNG plots
//   guard  [options]   a short fixed load for CI: asserts ratios and a flat GC count, never absolute times
//   record [options]   MediaRelay with AutoRecord on (--rooms 6 --seconds 20 --drain 1 --compare-windows 6 --compare-seconds 5 --keep):
//                      packets recorded == packets sent per stream; then forwarding cost, windows without/with recording
//   reflect --port N   the bare reflector itself (started by run/guard on the server core)
// Options: --targets reflector,mediarelay,janus  --publishers 2  --subscribers 8  --video-kbps 1500
//          --first-rooms 4  --step-rooms 4  --max-rooms 120  --window 5  --sample 4  --server-cpus 0  --out DIR
var options = CommandLine.Parse(args);
string command = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "run";
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

switch (command)
{
    case "reflect":
        using (var reflector = new BareReflector(new IPEndPoint(IPAddress.Loopback, options.Int("port", 0))))
        {
            reflector.Start();
            Console.WriteLine($"reflecting on {reflector.LocalEndPoint}");
            await Task.Delay(Timeout.Infinite, cancel.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        return 0;
    case "run":
        return await LoadCommands.RunAsync(options, cancel.Token);
    case "guard":
        return await LoadCommands.GuardAsync(options, cancel.Token);
    case "record":
        return await MediaRelay.LoadTest.Recording.RecordingProof.RunAsync(options, cancel.Token);
    default:
        Console.Error.WriteLine($"unknown command '{command}': use run, guard, record or reflect");
        return 2;
}
