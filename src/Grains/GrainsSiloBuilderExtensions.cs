using Cluster.Abstractions.Collectives;
using Cluster.Grains.Collectives;
using Cluster.Grains.Experiments;
using Cluster.Grains.Lfb;
using Cluster.Grains.Placement;
using Cluster.Grains.Registry;
using Cluster.Grains.Sweeps;
using Cluster.Grains.Workers;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Placement;

namespace Cluster.Grains;

public static class GrainsSiloBuilderExtensions
{
    /// <summary>
    /// Registers what the cluster's grains need on every silo: placement for compute-slot grains, the slots' runs,
    /// collective mailboxes and process-group factory, the computer of feature-bank shards (an NCCL layer adds an
    /// <see cref="Collectives.IDeviceProcessGroupFactory"/>), and the options of workers (scratch folder, collective
    /// buffering), experiments (supervision, reminder period), sweeps (tick, reminder period) and the registry (silo timeout); configure them with <c>Services.Configure&lt;...Options&gt;</c>. The silo registers the
    /// <see cref="Cluster.Training.Storage.IArtifactStore"/>, grain storage named <see cref="GrainStorageNames.Cluster"/>
    /// and a reminder service.
    /// </summary>
    public static ISiloBuilder AddClusterGrains(this ISiloBuilder builder)
    {
        builder.Services.AddPlacementDirector<SiloPinnedPlacement, SiloPinnedPlacementDirector>();
        builder.Services.AddOptions<WorkerOptions>();
        builder.Services.AddSingleton<SlotRuns>();
        builder.Services.AddSingleton<CollectiveMailboxes>();
        builder.Services.AddSingleton<ICollectiveReceiveTargets>(services => services.GetRequiredService<CollectiveMailboxes>());
        builder.Services.AddSingleton<ProcessGroupFactory>();
        builder.Services.AddOptions<ExperimentOptions>();
        builder.Services.AddOptions<ClusterRegistryOptions>();
        builder.Services.AddOptions<SweepOptions>();
        builder.Services.AddSingleton<IBankShardComputer, AvaBankShardComputer>();
        return builder;
    }
}
