using Cluster.Grains.Experiments;
using Cluster.Grains.Workers;
using Cluster.Silo;
using Cluster.Training.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Tests.Silo;

public sealed class EmbeddedSiloTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cluster-embedded-").FullName;

    private IHost NewHost() => SiloHostFactory.Create(
        ClusterConfiguration.Load(overrides: new Dictionary<string, string?>
        {
            ["Cluster:Mode"] = "embedded",
            ["Cluster:StateRoot"] = _root,
            ["Cluster:SiloPort"] = "0",
            ["Cluster:GatewayPort"] = "0",
            ["Cluster:Devices"] = "cpu",
            ["Cluster:CpuSlots"] = "2",
            ["Cluster:ScratchPath"] = Path.Combine(_root, "scratch"),
            ["Cluster:Experiments:ReminderPeriod"] = "00:00:30",
        }),
        new SiloHostSettings { MinimumLogLevel = LogLevel.None, HandleConsoleSignals = false });

    [Fact]
    public async Task Grain_state_in_the_cluster_storage_survives_a_restart_of_the_embedded_silo()
    {
        using (var host = NewHost())
        {
            await host.StartAsync();
            var counter = host.Services.GetRequiredService<IClusterClient>().GetGrain<IStoredCounterGrain>("c");
            await counter.Increment();
            Assert.Equal(2, await counter.Increment());
            Assert.Equal(["cpu:0", "cpu:1"], host.Services.GetRequiredService<SiloDevices>().Slots.Select(s => s.Device));
            Assert.Equal(Path.Combine(_root, "artifacts"), host.Services.GetRequiredService<IArtifactStore>().Location);
            Assert.Equal(Path.Combine(_root, "scratch"), host.Services.GetRequiredService<IOptions<WorkerOptions>>().Value.ScratchPath);
            Assert.Equal(TimeSpan.FromSeconds(30), host.Services.GetRequiredService<IOptions<ExperimentOptions>>().Value.ReminderPeriod);
            await host.StopAsync();
        }

        using (var host = NewHost())
        {
            await host.StartAsync();
            var counter = host.Services.GetRequiredService<IClusterClient>().GetGrain<IStoredCounterGrain>("c");
            Assert.Equal(2, await counter.Get());
            await host.StopAsync();
        }
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(_root, "grains"), "*.state", SearchOption.AllDirectories));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
