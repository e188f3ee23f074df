using Cluster.Abstractions.Workers;
using Cluster.Grains;
using Orleans.TestingHost;

namespace Cluster.Tests.Silo;

public sealed class SiloPinnedPlacementTests : IAsyncLifetime
{
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => silo.AddClusterGrains());
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_grain_keyed_to_a_silo_activates_on_that_silo_whichever_silo_is_asked()
    {
        foreach (var silo in _cluster.Silos)
        {
            var address = silo.SiloAddress.ToParsableString();

            var host = await _cluster.Client.GetGrain<IPinnedProbeGrain>(WorkerKey.For(address, "cpu:0")).HostSilo();

            Assert.Equal(address, host);
        }
    }

    [Fact]
    public async Task A_grain_keyed_to_an_unknown_silo_is_refused()
    {
        var key = WorkerKey.For("127.0.0.1:1@12345", "cpu:0");

        var e = await Assert.ThrowsAnyAsync<Exception>(() => _cluster.Client.GetGrain<IPinnedProbeGrain>(key).HostSilo());

        Assert.Contains("is not an active member", e.Message);
    }
}
