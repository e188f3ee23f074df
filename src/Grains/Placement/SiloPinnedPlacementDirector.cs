using Cluster.Abstractions.Workers;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace Cluster.Grains.Placement;

/// <summary>Places a <see cref="SiloPinnedPlacement"/> grain on the silo in its key, or refuses when that silo is gone.</summary>
public sealed class SiloPinnedPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString()!;
        var silo = SiloOf(key);
        if (!context.GetCompatibleSilos(target).Contains(silo))
            throw new SiloUnavailableException($"worker '{key}': its silo {silo} is not an active member of the cluster");
        return Task.FromResult(silo);
    }

    internal static SiloAddress SiloOf(string workerKey)
    {
        var (address, _) = WorkerKey.Parse(workerKey);
        return SiloAddress.FromParsableString(address);
    }
}
