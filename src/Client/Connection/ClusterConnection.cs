using Cluster.Abstractions.Registry;
using Cluster.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Cluster.Client.Connection;

/// <summary>
/// A connected <see cref="IClusterClient"/> and the host that owns it: an Orleans client host for a remote cluster, or
/// the embedded silo (whose co-hosted client is used). Disposing stops the host.
/// </summary>
internal sealed class ClusterConnection : IAsyncDisposable
{
    /// <summary>How long the client keeps retrying a gateway before it reports it unreachable.</summary>
    internal static readonly TimeSpan ConnectWindow = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    private readonly IHost host;

    private ClusterConnection(IHost host, ClusterTarget target)
    {
        this.host = host;
        Target = target;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    public ClusterTarget Target { get; }
    public IClusterClient Client { get; }
    public bool IsEmbedded => Target is ClusterTarget.Embedded;

    public static async Task<ClusterConnection> Open(ClusterTarget target, CancellationToken cancellation)
    {
        var host = target is ClusterTarget.Embedded embedded
            ? EmbeddedCluster.Build(embedded.Directory)
            : BuildClientHost(target);
        try
        {
            await host.StartAsync(cancellation);
            var connection = new ClusterConnection(host, target);
            if (connection.IsEmbedded) await connection.WaitUntilRegistered(cancellation);
            return connection;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            await StopQuietly(host);
            throw new ClusterUnreachableException($"cannot reach {target}: {FirstLine(e)}", e);
        }
    }

    /// <summary>
    /// The embedded silo announces its slots to the registry just after it started; waiting for that keeps `top` and
    /// the first allocation from seeing an empty cluster.
    /// </summary>
    private async Task WaitUntilRegistered(CancellationToken cancellation)
    {
        var self = host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString();
        var registry = Client.GetGrain<IClusterRegistryGrain>(0);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var view = await registry.GetView().WaitAsync(cancellation);
            if (view.Silos.Any(s => s.Alive && s.Silo.Address == self)) return;
            await Task.Delay(100, cancellation);
        }
    }

    public async ValueTask DisposeAsync() => await StopQuietly(host);

    private static IHost BuildClientHost(ClusterTarget target)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            switch (target)
            {
                case ClusterTarget.Gateway gateway:
                    client.UseStaticClustering([.. gateway.EndPoints]);
                    break;
                case ClusterTarget.Redis redis:
                    client.UseRedisClustering(options =>
                    {
                        var configuration = ConfigurationOptions.Parse(redis.ConnectionString);
                        configuration.ConnectTimeout = (int)ConnectWindow.TotalMilliseconds;
                        configuration.AbortOnConnectFail = true;
                        options.ConfigurationOptions = configuration;
                    });
                    break;
            }
            client.Configure<ClusterOptions>(options =>
            {
                // Silos and clients must agree on both ids; the silo's defaults unless the environment names the cluster.
                var defaults = new ClusterSiloOptions();
                options.ClusterId = target is ClusterTarget.Redis r ? r.ClusterId
                    : Environment.GetEnvironmentVariable(ClusterTarget.ClusterIdVariable) ?? defaults.ClusterId;
                options.ServiceId = defaults.ServiceId;
            });
            var deadline = DateTime.UtcNow + ConnectWindow;
            client.UseConnectionRetryFilter(async (_, token) =>
            {
                if (DateTime.UtcNow + RetryDelay > deadline) return false;
                await Task.Delay(RetryDelay, token);
                return true;
            });
        });
        return builder.Build();
    }

    private static async Task StopQuietly(IHost host)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await host.StopAsync(timeout.Token);
        }
        catch (Exception)
        {
            // Stopping a host that never connected can throw; there is nothing left to release but the host itself.
        }
        finally
        {
            if (host is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync();
            else host.Dispose();
        }
    }

    private static string FirstLine(Exception e)
    {
        var message = e.Message.ReplaceLineEndings("\n");
        int newline = message.IndexOf('\n');
        return (newline < 0 ? message : message[..newline]).Trim();
    }
}
