using Cluster.Silo;
using Cluster.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ConnectionMultiplexer = StackExchange.Redis.ConnectionMultiplexer;

namespace Cluster.Tests.Silo;

public sealed class RedisSiloHostTests : IDisposable
{
    private readonly RedisProcess _redis = RedisProcess.Start();
    private readonly string _artifacts = Directory.CreateTempSubdirectory("cluster-redis-artifacts-").FullName;

    private IHost NewHost() => SiloHostFactory.Create(
        ClusterConfiguration.Load(overrides: new Dictionary<string, string?>
        {
            ["Cluster:Mode"] = "redis",
            ["Cluster:Redis"] = _redis.Endpoint,
            ["Cluster:SiloPort"] = "0",
            ["Cluster:GatewayPort"] = "0",
            ["Cluster:AdvertisedIp"] = "127.0.0.1",
            ["Cluster:Devices"] = "cpu",
            ["Cluster:Storage:Path"] = _artifacts,
        }),
        new SiloHostSettings { MinimumLogLevel = LogLevel.None, HandleConsoleSignals = false });

    [Fact]
    public async Task Grain_state_lives_in_redis_and_outlives_the_silo()
    {
        using (var host = NewHost())
        {
            await host.StartAsync();
            var counter = host.Services.GetRequiredService<IClusterClient>().GetGrain<IStoredCounterGrain>("r");
            await counter.Increment();
            await counter.Increment();
            await host.StopAsync();
        }

        using (var redis = await ConnectionMultiplexer.ConnectAsync(_redis.Endpoint))
        {
            var keys = redis.GetServer(_redis.Endpoint).Keys().Select(k => k.ToString()).ToList();
            Assert.Contains(keys, k => k.Contains("counter", StringComparison.OrdinalIgnoreCase) || k.Contains("storedcounter", StringComparison.OrdinalIgnoreCase));
        }

        using (var host = NewHost())
        {
            await host.StartAsync();
            var counter = host.Services.GetRequiredService<IClusterClient>().GetGrain<IStoredCounterGrain>("r");
            Assert.Equal(2, await counter.Get());
            await host.StopAsync();
        }
    }

    public void Dispose()
    {
        _redis.Dispose();
        Directory.Delete(_artifacts, recursive: true);
    }
}
