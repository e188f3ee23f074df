using Cluster.Silo;
using Cluster.Tests.Infrastructure;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cluster.Tests.Client;

/// <summary>
/// CLUSTER_REDIS + CLUSTER_ID: the client finds the gateways in the Redis membership table of a redis-mode silo; an
/// unreachable Redis is one line and exit 2.
/// </summary>
[Collection(EmbeddedClusterCollection.Name)]
public sealed class RedisDiscoveryTests : IDisposable
{
    private readonly RedisProcess redis = RedisProcess.Start();
    private readonly string artifacts = Directory.CreateTempSubdirectory("cli-redis-artifacts-").FullName;

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("CLUSTER_REDIS", null);
        Environment.SetEnvironmentVariable("CLUSTER_ID", null);
        redis.Dispose();
        Directory.Delete(artifacts, recursive: true);
    }

    [Fact]
    public async Task ClientFindsTheClusterThroughRedis()
    {
        using var host = SiloHostFactory.Create(
            ClusterConfiguration.Load(overrides: new Dictionary<string, string?>
            {
                ["Cluster:Mode"] = "redis",
                ["Cluster:Redis"] = redis.Endpoint,
                ["Cluster:ClusterId"] = "cli-test",
                ["Cluster:SiloPort"] = "0",
                ["Cluster:GatewayPort"] = "0",
                ["Cluster:AdvertisedIp"] = "127.0.0.1",
                ["Cluster:Devices"] = "cpu",
                ["Cluster:CpuSlots"] = "2",
                ["Cluster:Storage:Path"] = artifacts,
            }),
            new SiloHostSettings { MinimumLogLevel = LogLevel.None, HandleConsoleSignals = false });
        await host.StartAsync();
        try
        {
            Environment.SetEnvironmentVariable("CLUSTER_REDIS", redis.Endpoint);
            Environment.SetEnvironmentVariable("CLUSTER_ID", "cli-test");
            CliRunner.Result top = CliRunner.Run("top", "--once");
            // The silo announces its slots right after it started; give the registry a moment.
            for (int attempt = 0; attempt < 20 && !top.Output.Contains("1 silos alive"); attempt++)
            {
                await Task.Delay(250);
                top = CliRunner.Run("top", "--once");
            }

            Assert.True(top.ExitCode == 0, top.Error);
            Assert.Contains("1 silos alive (0 gone), 2 slots: 2 free, 0 busy", top.Output);

            var status = CliRunner.Run("status", "no-such-run");
            Assert.Equal("error: unknown experiment 'no-such-run'", Assert.Single(status.ErrorLines));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public void UnreachableRedisIsOneLineAndExit2()
    {
        Environment.SetEnvironmentVariable("CLUSTER_REDIS", "127.0.0.1:1");
        Environment.SetEnvironmentVariable("CLUSTER_ID", "cli-test");

        var result = CliRunner.Run("list");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: cannot reach cluster 'cli-test' through Redis at 127.0.0.1:1: ", Assert.Single(result.ErrorLines));
    }
}
