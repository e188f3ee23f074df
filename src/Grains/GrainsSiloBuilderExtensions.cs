using Cluster.Grains.Experiments;
using Cluster.Grains.Placement;
using Cluster.Grains.Registry;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Placement;

namespace Cluster.Grains;

public static class GrainsSiloBuilderExtensions
{
    /// <summary>
    /// Registers what the cluster's grains need on every silo: placement for compute-slot grains and the options of
    /// experiments and the registry (configure with <c>Services.Configure&lt;ExperimentOptions&gt;</c>). The silo must
    /// also add grain storage named <see cref="GrainStorageNames.Cluster"/> and a reminder service.
    /// </summary>
    public static ISiloBuilder AddClusterGrains(this ISiloBuilder builder)
    {
        builder.Services.AddPlacementDirector<SiloPinnedPlacement, SiloPinnedPlacementDirector>();
        builder.Services.AddOptions<ExperimentOptions>();
        builder.Services.AddOptions<ClusterRegistryOptions>();
        return builder;
    }
}
