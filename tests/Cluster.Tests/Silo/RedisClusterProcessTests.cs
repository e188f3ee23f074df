using Cluster.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;

namespace Cluster.Tests.Silo;

/// <summary>Two real <c>cluster silo --mode redis</c> processes form one cluster; a SIGKILLed one is declared dead.</summary>
public sealed class RedisClusterProcessTests : IDisposable
{
    private readonly RedisProcess _redis = RedisProcess.Start();
    private readonly List<SiloProcess> _silos = [];

    private string[] SiloArguments(string name) =>
    [
        "--mode", "redis", "--redis", _redis.Endpoint, "--name", name, "--cluster-id", "proc-test",
        "--silo-port", "0", "--gateway-port", "0", "--advertised-ip", "127.0.0.1", "--devices", "cpu",
        "--storage-path", Path.Combine(Path.GetTempPath(), "cluster-proc-test-artifacts"),
    ];


    [Fact]
    public async Task Two_silo_processes_join_one_cluster_and_a_killed_one_is_declared_dead()
    {
        var started = await Task.WhenAll(SiloProcess.StartAsync(SiloArguments("a")), SiloProcess.StartAsync(SiloArguments("b")));
        _silos.AddRange(started);
        var (victim, survivor) = (started[0], started[1]);
        Assert.Contains("slots: cpu:0", survivor.ReadyLine);

        using var client = RedisClusterClient.Start(_redis.Endpoint, "proc-test");
        var management = client.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
        var active = await WaitForAsync(async () => await management.GetHosts(onlyActive: true), hosts => hosts.Count == 2);
        Assert.Equal(new[] { survivor.Address, victim.Address }.Order(), active.Keys.Select(a => a.ToParsableString()).Order());

        victim.Kill();

        var all = await WaitForAsync(async () => await management.GetHosts(onlyActive: false),
            hosts => hosts.Any(h => h.Key.ToParsableString() == victim.Address && h.Value == SiloStatus.Dead));
        Assert.Equal(SiloStatus.Active, all.Single(h => h.Key.ToParsableString() == survivor.Address).Value);
    }

    /// <summary>Polls until the condition holds; gives up after a minute (a liveness bound, not a speed check).</summary>
    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            T value;
            try
            {
                value = await read();
                if (done(value)) return value;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                // A call routed through the killed silo's gateway fails until the client drops it.
            }
            if (DateTime.UtcNow >= deadline)
                throw new TimeoutException("the cluster did not reach the expected membership within a minute");
            await Task.Delay(500);
        }
    }

    public void Dispose()
    {
        foreach (var silo in _silos) silo.Dispose();
        _redis.Dispose();
    }
}
