using Cluster.Silo;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cluster.Client.Connection;

/// <summary>
/// The in-process silo a command starts when no cluster is configured, so one command runs a whole job: embedded mode
/// (localhost clustering, grain state and artifacts in <c>.cluster/</c> of the working directory), free ports, no logs.
/// Other <c>Cluster__*</c> settings (CpuSlots, Devices, Storage) still apply from the environment.
/// </summary>
internal static class EmbeddedCluster
{
    public static IHost Build(string directory)
    {
        var options = ClusterConfiguration.Load(overrides: new Dictionary<string, string?>
        {
            [$"{ClusterSiloOptions.SectionName}:Mode"] = ClusterSiloOptions.EmbeddedMode,
            [$"{ClusterSiloOptions.SectionName}:StateRoot"] = directory,
            [$"{ClusterSiloOptions.SectionName}:SiloPort"] = "0",
            [$"{ClusterSiloOptions.SectionName}:GatewayPort"] = "0",
        });
        return SiloHostFactory.Create(options, new SiloHostSettings { MinimumLogLevel = LogLevel.None, HandleConsoleSignals = false });
    }
}
