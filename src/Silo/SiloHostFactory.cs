using Microsoft.Extensions.Options;
using Cluster.Grains.Workers;
using System.Net;
using System.Net.Sockets;
using Cluster.Grains;
using Cluster.Silo.Devices;
using Cluster.Silo.Hosting;
using Cluster.Silo.Registration;
using Cluster.Silo.Storage;
using Cluster.Training.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Serialization;
using StackExchange.Redis;

namespace Cluster.Silo;

/// <summary>
/// Builds the host of one silo: a long-running <c>cluster silo</c> process, or an embedded silo inside the client
/// (co-hosted: <c>host.Services.GetRequiredService&lt;IClusterClient&gt;()</c> talks to it directly).
/// The host's services also hold the <see cref="ClusterSiloOptions"/> (ports resolved), <see cref="IArtifactStore"/>
/// and <see cref="SiloDevices"/>.
/// </summary>
public static class SiloHostFactory
{
    /// <exception cref="ArgumentException">Invalid options, naming the key.</exception>
    public static IHost Create(ClusterSiloOptions options, SiloHostSettings? settings = null)
    {
        settings ??= new SiloHostSettings();
        options.Validate();
        options.SiloPort = FreePort.Resolve(options.SiloPort);
        options.GatewayPort = FreePort.Resolve(options.GatewayPort);
        options.Name = string.IsNullOrWhiteSpace(options.Name) ? $"{Environment.MachineName}-{options.SiloPort}" : options.Name.Trim();

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        ConfigureLogging(builder.Logging, settings.MinimumLogLevel);
        // After this, Orleans abandons a graceful leave (membership store unreachable) and stops ungracefully.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        if (!settings.HandleConsoleSignals)
            builder.Services.Replace(ServiceDescriptor.Singleton<IHostLifetime, QuietLifetime>());
        else
            builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(_ => ArtifactStoreFactory.Create(options.ResolvedStorage()));
        builder.Services.AddSingleton(sp => new SiloDevices(DeviceInventory.Detect(
            options.Devices, options.CpuSlots, new TorchDeviceProbe(sp.GetRequiredService<ILogger<TorchDeviceProbe>>()))));
        builder.Services.AddSingleton(sp => sp.GetRequiredService<SiloDevices>().Slots);
        builder.Services.AddSingleton<SiloRegistrar>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SiloRegistrar>());

        builder.UseOrleans(silo =>
        {
            Configure(silo, options);
            settings.ConfigureSilo?.Invoke(silo);
        });
        return builder.Build();
    }

    private static void Configure(ISiloBuilder silo, ClusterSiloOptions options)
    {
        silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (options.ClusterId, options.ServiceId));
        silo.Configure<SiloOptions>(o => o.SiloName = options.Name!);
        silo.Configure<SiloMessagingOptions>(o => o.MaxMessageBodySize = options.MaxMessageBodyMiB * 1024 * 1024);
        silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = options.MinimumReminderPeriod);
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            var m = options.Membership;
            o.ProbeTimeout = m.ProbeTimeout;
            o.NumMissedProbesLimit = m.NumMissedProbesLimit;
            o.NumVotesForDeathDeclaration = m.NumVotesForDeathDeclaration;
            o.TableRefreshTimeout = m.TableRefreshTimeout;
            o.IAmAliveTablePublishTimeout = m.IAmAliveTablePublishTimeout;
            o.DeathVoteExpirationTimeout = m.DeathVoteExpirationTimeout;
        });

        if (options.IsRedis)
            ConfigureRedis(silo, options);
        else
            ConfigureEmbedded(silo, options);
        silo.AddClusterGrains();
        LargeSocketBlocks.Use(silo.Services);
        silo.Services.Configure<WorkerOptions>(worker => worker.ScratchPath = options.ResolvedScratchPath);
        silo.Services.AddSingleton(Options.Create(options.Experiments));
        silo.Services.AddSingleton(Options.Create(options.Sweeps));
    }

    private static void ConfigureEmbedded(ISiloBuilder silo, ClusterSiloOptions options)
    {
        silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
        silo.Services.AddFileGrainStorage(Path.Combine(options.ResolvedStateRoot, "grains"));
        silo.UseInMemoryReminderService();
    }

    private static void ConfigureRedis(ISiloBuilder silo, ClusterSiloOptions options)
    {
        var redis = options.Redis!;
        if (options.AdvertisedIp is { Length: > 0 } ip)
            silo.ConfigureEndpoints(IPAddress.Parse(ip), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: true);
        else
            silo.ConfigureEndpoints(options.SiloPort, options.GatewayPort, AddressFamily.InterNetwork, listenOnAnyHostAddress: true);
        silo.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
        silo.AddRedisGrainStorage(GrainStorageNames.Cluster, storage => storage.Configure<Serializer>((o, serializer) =>
        {
            o.ConfigurationOptions = ConfigurationOptions.Parse(redis);
            o.GrainStorageSerializer = GrainStorageRegistration.Serializer(serializer);
        }));
        silo.Services.AddDefaultAlias();
        silo.UseRedisReminderService(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
    }

    private static void ConfigureLogging(ILoggingBuilder logging, LogLevel minimum)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(minimum);
        if (minimum != LogLevel.None)
            logging.AddSimpleConsole(o => o.SingleLine = true);
        // Orleans warns that a 5 s minimum reminder period is "unsuitable for production": here it is deliberate.
        logging.AddFilter("Orleans.Hosting.ReminderOptionsValidator", LogLevel.Error);
        logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }

    /// <summary>A lifetime that leaves SIGTERM / Ctrl-C to the process that co-hosts the silo.</summary>
    private sealed class QuietLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
