using Cluster.Grains.Placement;
using Cluster.Grains.Workers;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Placement;

namespace Cluster.Grains;

public static class GrainsSiloBuilderExtensions
{
    /// <summary>
    /// Registers what the cluster's grains need on every silo: placement for compute-slot grains, worker options
    /// (scratch folder; configure <see cref="WorkerOptions"/> to change it). The silo registers the
    /// <see cref="Cluster.Training.Storage.IArtifactStore"/> and the "cluster" grain storage.
    /// </summary>
    public static ISiloBuilder AddClusterGrains(this ISiloBuilder builder)
    {
        builder.Services.AddPlacementDirector<SiloPinnedPlacement, SiloPinnedPlacementDirector>();
        builder.Services.AddOptions<WorkerOptions>();
        return builder;
    }
}
