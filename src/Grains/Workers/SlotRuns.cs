using System.Collections.Concurrent;

namespace Cluster.Grains.Workers;

/// <summary>
/// The runs (training, bank shards) of this silo's compute slots, by worker key. A run belongs to the silo (its device), not to one
/// activation of the slot's grain: Orleans may deactivate that grain while training goes on (for instance when the
/// silo holding its directory entry dies), and the next activation picks the run up here. Runs stop when the silo's
/// services are disposed.
/// </summary>
public sealed class SlotRuns : IAsyncDisposable
{
    private static readonly TimeSpan ShutdownReportTimeout = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, ISlotRun> runs = new();

    public ISlotRun? Of(string workerKey) => runs.TryGetValue(workerKey, out var run) ? run : null;

    public void Replace(string workerKey, ISlotRun run) => runs[workerKey] = run;

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(runs.Values.Select(run => run.StopAsync(ShutdownReportTimeout)));
        runs.Clear();
    }
}
