using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Cluster.Tests.Infrastructure;

/// <summary>An Orleans client that finds a redis-mode cluster's gateways through its Redis membership table.</summary>
public static class RedisClusterClient
{
    public static IHost Start(string redisEndpoint, string clusterId)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client => client
            .UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redisEndpoint))
            .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, "cluster")));
        var host = builder.Build();
        host.Start();
        return host;
    }
}
