using Cluster.Grains;
using Cluster.Grains.Workers;
using Cluster.Training.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Cluster.Tests.Workers;

/// <summary>One in-process silo with the cluster's grains, memory grain storage "cluster" and a temp-folder artifact store.</summary>
public sealed class ShardClusterFixture : IAsyncLifetime
{
    public string Root { get; } = Directory.CreateTempSubdirectory("worker-cluster-").FullName;
    public InProcessTestCluster Cluster { get; private set; } = null!;
    public IClusterClient Client => Cluster.Client;
    public LocalFolderArtifactStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Store = new LocalFolderArtifactStore(Path.Combine(Root, "store"));
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(GrainStorageNames.Cluster);
            silo.AddClusterGrains();
            silo.Services.AddSingleton<IArtifactStore>(Store);
            silo.Services.Configure<WorkerOptions>(options =>
            {
                options.ScratchPath = Path.Combine(Root, "scratch");
                options.ReportFlushTimeout = TimeSpan.FromSeconds(1);
            });
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class ShardClusterCollection : ICollectionFixture<ShardClusterFixture>
{
    public const string Name = "worker grains cluster";
}
