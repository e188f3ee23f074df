using Cluster.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cluster.Bench;

/// <summary>
/// A silo in the bench process, built by the product's <see cref="SiloHostFactory"/> with one CPU slot and its state
/// under <c>{workDir}/{name}</c>; stopped when disposed.
/// </summary>
internal sealed class EmbeddedSilo : IDisposable
{
    private readonly IHost host;

    public EmbeddedSilo(string workDir, string name)
    {
        string stateRoot = Path.Combine(workDir, name);
        var options = new ClusterSiloOptions
        {
            StateRoot = stateRoot,
            ScratchPath = Path.Combine(stateRoot, "scratch"),
            SiloPort = 0,
            GatewayPort = 0,
            Devices = "cpu",
            CpuSlots = 1,
        };
        host = SiloHostFactory.Create(options, new SiloHostSettings { MinimumLogLevel = LogLevel.None, HandleConsoleSignals = false });
        host.StartAsync().GetAwaiter().GetResult();
    }

    public IClusterClient Client => host.Services.GetRequiredService<IClusterClient>();

    public void Dispose()
    {
        host.StopAsync().GetAwaiter().GetResult();
        host.Dispose();
    }
}
