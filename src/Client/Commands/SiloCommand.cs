using System.CommandLine;
using Cluster.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;

namespace Cluster.Client.Commands;

/// <summary>
/// `cluster silo`: runs one silo until SIGTERM / Ctrl-C. Settings come from configuration section <c>Cluster</c>
/// (appsettings.json next to the binary, --config, <c>Cluster__*</c> environment variables); options here win.
/// </summary>
internal static class SiloCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var mode = new Option<string?>("--mode") { Description = "embedded (one local silo) or redis (join a cluster)" };
        var redis = new Option<string?>("--redis") { Description = "Redis for membership, state and reminders: host:port" };
        var siloPort = new Option<int?>("--silo-port") { Description = "Silo-to-silo port (0: a free one)" };
        var gatewayPort = new Option<int?>("--gateway-port") { Description = "Client gateway port (0: a free one)" };
        var advertisedIp = new Option<string?>("--advertised-ip") { Description = "IP other silos and clients reach this silo at" };
        var name = new Option<string?>("--name") { Description = "Silo name (default: <host>-<silo port>)" };
        var cpuSlots = new Option<int?>("--cpu-slots") { Description = "CPU slots offered when no CUDA device is used" };
        var devices = new Option<string?>("--devices") { Description = "auto (CUDA when present) or cpu" };
        var stateRoot = new Option<string?>("--state-path") { Description = "Embedded mode: folder for grain state (and default artifacts)" };
        var storagePath = new Option<string?>("--storage-path") { Description = "Artifact store: a local folder" };
        var scratch = new Option<string?>("--scratch-path") { Description = "Where workers create local work folders" };
        var clusterId = new Option<string?>("--cluster-id") { Description = "Orleans cluster id (silos and clients must agree)" };
        var config = new Option<string?>("--config") { Description = "JSON settings file with a 'Cluster' section" };
        var command = new Command("silo", "Run a silo of the cluster until SIGTERM / Ctrl-C")
        {
            mode, redis, siloPort, gatewayPort, advertisedIp, name, cpuSlots, devices, stateRoot, storagePath, scratch, clusterId, config,
        };
        command.SetAction(parse => CommandErrors.Run(error, () =>
        {
            var overrides = new Dictionary<string, string?>();
            void Set<T>(string key, Option<T> option)
            {
                if (parse.GetValue(option) is { } value)
                    overrides[$"{ClusterSiloOptions.SectionName}:{key}"] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
            }
            Set("Mode", mode);
            Set("Redis", redis);
            Set("SiloPort", siloPort);
            Set("GatewayPort", gatewayPort);
            Set("AdvertisedIp", advertisedIp);
            Set("Name", name);
            Set("CpuSlots", cpuSlots);
            Set("Devices", devices);
            Set("StateRoot", stateRoot);
            Set("ScratchPath", scratch);
            Set("ClusterId", clusterId);
            if (parse.GetValue(storagePath) is { } path)
            {
                overrides[$"{ClusterSiloOptions.SectionName}:Storage:Kind"] = "local";
                overrides[$"{ClusterSiloOptions.SectionName}:Storage:Path"] = path;
            }
            var options = ClusterConfiguration.Load(parse.GetValue(config), overrides);
            return Run(options, output);
        }));
        return command;
    }

    private static int Run(ClusterSiloOptions options, TextWriter output)
    {
        using var host = SiloHostFactory.Create(options);
        var store = host.Services.GetRequiredService<Cluster.Training.Storage.IArtifactStore>();
        store.EnsureReachableAsync().GetAwaiter().GetResult();
        host.Start();
        var silo = host.Services.GetRequiredService<ILocalSiloDetails>();
        var slots = host.Services.GetRequiredService<SiloDevices>().Slots;
        output.WriteLine($"silo {silo.Name} ready at {silo.SiloAddress.ToParsableString()}, gateway {options.GatewayPort}, slots: {string.Join(' ', slots.Select(s => s.Device))}");
        output.Flush();
        host.WaitForShutdown();
        return 0;
    }
}
