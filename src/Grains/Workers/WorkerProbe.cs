using Cluster.Abstractions.Workers;
using Cluster.Grains.Placement;
using Orleans.Runtime;

namespace Cluster.Grains.Workers;

/// <summary>
/// One heartbeat of a supervised worker. <see cref="Problem"/> is null when the worker answered busy with the run it
/// was given. <see cref="Unreachable"/>: the call failed while the worker's silo is still an active member. Right
/// after another silo dies, calls can fail that way for a few seconds (a directory partition or a cached address on
/// the dead silo, until membership declares it dead), so such a failure is not yet a lost worker.
/// </summary>
internal readonly record struct WorkerProbe(string? Problem, bool Unreachable)
{
    public static readonly WorkerProbe Fine = new(null, false);

    /// <param name="judge">The problem with the worker's answer, or null when it runs what it should.</param>
    public static async Task<WorkerProbe> SendAsync(IGrainFactory grains, IClusterMembershipService? membership, string workerKey,
        TimeSpan timeout, Func<WorkerStatus, string?> judge)
    {
        try
        {
            var status = await grains.GetGrain<IGpuWorkerGrain>(workerKey).GetStatus().WaitAsync(timeout);
            return judge(status) is { } problem ? new WorkerProbe(problem, false) : Fine;
        }
        catch (Exception e)
        {
            bool member = membership?.CurrentSnapshot.GetSiloStatus(SiloPinnedPlacementDirector.SiloOf(workerKey)) == SiloStatus.Active;
            return new WorkerProbe($"{e.GetType().Name}: {e.Message}", member);
        }
    }
}
