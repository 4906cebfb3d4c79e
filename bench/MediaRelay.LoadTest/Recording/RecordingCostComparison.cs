using MediaRelay.LoadTest.Measurement;
using MediaRelay.LoadTest.Peers;
using MediaRelay.LoadTest.Reporting;
using MediaRelay.LoadTest.Targets;

namespace MediaRelay.LoadTest.Recording;

/// <summary>
/// What recording costs the forwarding server, measured on one server with the same peers and load: windows
/// alternately without and with every room recording (started through POST /api/rooms/{room}/recordings, stopped and
/// finalized between windows so the finalizer's work falls outside them). Alternating cancels most of the drift of
/// a shared machine; the report compares medians.
/// </summary>
internal static class RecordingCostComparison
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan FinalizeTimeout = TimeSpan.FromSeconds(300);

    public static async Task<IReadOnlyList<(bool Recording, StepResult Window)>> RunAsync(LoadGenerator generator, ILoadTarget target,
        RecordingApi api, List<LoadRoom> rooms, int windows, TimeSpan window, CancellationToken cancel)
    {
        var results = new List<(bool, StepResult)>();
        RecordingProof.SetHeld(rooms, false);
        await Task.Delay(Settle * 2, cancel);
        for (int i = 0; i < windows; i++)
        {
            bool recording = i % 2 == 1;
            var ids = new List<string>();
            if (recording)
            {
                foreach (LoadRoom room in rooms)
                {
                    ids.Add(await api.StartAsync(RecordingProof.RoomId(room), cancel));
                }
                await Task.Delay(Settle, cancel); // taps attached, key frames requested
            }
            LoadWindow measuring = await LoadWindow.BeginAsync(generator, target, cancel);
            await Task.Delay(window, cancel);
            StepResult result = (await measuring.EndAsync(rooms.Count, cancel)) with
            {
                Target = recording ? "MediaRelay, recording on" : "MediaRelay, recording off",
            };
            Console.WriteLine(ResultTable.Line(result));
            results.Add((recording, result));
            if (recording)
            {
                foreach (string id in ids)
                {
                    await api.StopAsync(id, cancel);
                }
                foreach (string id in ids)
                {
                    await api.WaitFinishedAsync(id, FinalizeTimeout, cancel);
                }
                await Task.Delay(Settle, cancel);
            }
        }
        RecordingProof.SetHeld(rooms, true);
        return results;
    }
}
