using Cluster.Grains.Placement;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Placement;

namespace Cluster.Grains;

public static class GrainsSiloBuilderExtensions
{
    /// <summary>Registers what the cluster's grains need on every silo (placement for compute-slot grains).</summary>
    public static ISiloBuilder AddClusterGrains(this ISiloBuilder builder)
    {
        builder.Services.AddPlacementDirector<SiloPinnedPlacement, SiloPinnedPlacementDirector>();
        return builder;
    }
}
