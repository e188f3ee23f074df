using Cluster.Abstractions.Experiments;
using Cluster.Abstractions.Registry;
using Cluster.Abstractions.Workers;
using Cluster.Grains;
using Cluster.Grains.Experiments;
using Cluster.Grains.Registry;
using Cluster.Grains.Sweeps;
using Cluster.Grains.Workers;
using Cluster.Training.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.TestingHost;

namespace Cluster.Tests.Grains;

/// <summary>
/// An in-process cluster of real silos with the cluster's grains: grain storage "cluster" that survives a killed silo,
/// in-memory reminders, a local-folder artifact store in a temp dir, and short supervision intervals. The silo host's
/// slot registration is not part of it: tests announce slots with <see cref="RegisterCpuSlot"/>.
/// </summary>
internal sealed class ClusterTestHost : IAsyncDisposable
{
    private readonly Dictionary<string, KillableArtifactStore> siloStores;
    private readonly string scratch;

    private ClusterTestHost(InProcessTestCluster cluster, SharedGrainStorage storage, string artifactRoot, string scratch,
        Dictionary<string, KillableArtifactStore> siloStores)
    {
        Cluster = cluster;
        Storage = storage;
        ArtifactRoot = artifactRoot;
        Artifacts = new LocalFolderArtifactStore(artifactRoot);
        this.scratch = scratch;
        this.siloStores = siloStores;
    }

    public InProcessTestCluster Cluster { get; }
    public SharedGrainStorage Storage { get; }
    public string ArtifactRoot { get; }
    /// <summary>The store every silo writes checkpoints to (a local folder).</summary>
    public IArtifactStore Artifacts { get; }
    public IClusterClient Client => Cluster.Client;
    public InProcessSiloHandle Primary => Cluster.Silos[0];
    /// <summary>The silo a test may kill: killing the primary breaks development clustering.</summary>
    public InProcessSiloHandle Secondary => Cluster.Silos[1];
    public IClusterRegistryGrain Registry => Client.GetGrain<IClusterRegistryGrain>(0);

    public IExperimentGrain Experiment(string id) => Client.GetGrain<IExperimentGrain>(id);

    public static async Task<ClusterTestHost> StartAsync(int silos = 2, Action<ExperimentOptions>? configure = null)
    {
        var storage = new SharedGrainStorage();
        var artifactRoot = Directory.CreateTempSubdirectory("cluster-grains-").FullName;
        var scratch = Directory.CreateTempSubdirectory("cluster-scratch-").FullName;
        var siloStores = new Dictionary<string, KillableArtifactStore>();
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.ConfigureSilo((options, silo) =>
        {
            var store = new KillableArtifactStore(new LocalFolderArtifactStore(artifactRoot), options.SiloName);
            lock (siloStores) siloStores[options.SiloName] = store;
            silo.AddClusterGrains();
            silo.Services.AddGrainStorage(GrainStorageNames.Cluster, (services, _) => storage.For(services.GetRequiredService<Serializer>()));
            silo.UseInMemoryReminderService();
            silo.Services.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            silo.Services.Configure<ExperimentOptions>(o =>
            {
                o.SupervisionInterval = TimeSpan.FromMilliseconds(500);
                o.WorkerStatusTimeout = TimeSpan.FromSeconds(2);
                o.ReminderPeriod = TimeSpan.FromSeconds(2);
                o.StopTimeout = TimeSpan.FromSeconds(3);
                configure?.Invoke(o);
            });
            silo.Services.Configure<SweepOptions>(o =>
            {
                o.TickInterval = TimeSpan.FromMilliseconds(300);
                o.ReminderPeriod = TimeSpan.FromSeconds(2);
            });
            // Silos re-register every few seconds in production; here tests register once, so they must not expire.
            silo.Services.Configure<ClusterRegistryOptions>(o => o.SiloTimeout = TimeSpan.FromHours(1));
            silo.Services.Configure<WorkerOptions>(o => o.ScratchPath = scratch);
            silo.Services.AddSingleton<IArtifactStore>(store);
        });
        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return new ClusterTestHost(cluster, storage, artifactRoot, scratch, siloStores);
    }

    public static SlotInfo CpuSlot(SiloHandle silo)
    {
        var address = silo.SiloAddress.ToParsableString();
        return new SlotInfo(WorkerKey.For(address, "cpu:0"), address, silo.Name, "cpu:0", "cpu", "CPU", 1L << 30);
    }

    /// <summary>Announces the silo with one CPU slot, as the silo host does every few seconds.</summary>
    public Task RegisterCpuSlot(SiloHandle silo) =>
        Registry.RegisterSilo(new SiloRegistration(silo.Name, silo.SiloAddress.ToParsableString(), "localhost", [CpuSlot(silo)]));

    /// <summary>Kills a silo abruptly (no deactivation) and waits until the cluster has declared it dead.</summary>
    public async Task KillSiloAsync(InProcessSiloHandle silo)
    {
        // Killed first, so the thread's failure cannot be reported through a silo still running.
        await Cluster.KillSiloAsync(silo);
        lock (siloStores) siloStores[silo.Name].Kill();
        await Cluster.WaitForLivenessToStabilizeAsync(didKill: true);
    }

    /// <summary>Polls the experiment until <paramref name="condition"/> holds; fails with its last status and log.</summary>
    public async Task<ExperimentStatus> WaitFor(string id, Func<ExperimentStatus, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = await Experiment(id).GetStatus();
            if (condition(status)) return status;
            if (DateTime.UtcNow > deadline)
            {
                var log = await Experiment(id).GetLogs(0, 200);
                Assert.Fail($"experiment '{id}' never got {what}: state {status.State}, reason {status.Reason}, "
                    + $"generation {status.Generation}, epochs [{string.Join(",", status.History.Select(h => h.Epoch))}]\n"
                    + string.Join("\n", log.Lines));
            }
            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Cluster.StopAllSilosAsync();
        }
        finally
        {
            await Cluster.DisposeAsync();
            // A killed silo's training thread may still be finishing its epoch in scratch: leave what it holds.
            foreach (var folder in new[] { ArtifactRoot, scratch })
            {
                try { Directory.Delete(folder, recursive: true); }
                catch (IOException) { }
            }
        }
    }
}
