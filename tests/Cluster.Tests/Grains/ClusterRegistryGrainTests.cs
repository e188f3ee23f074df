using Cluster.Abstractions.Workers;

namespace Cluster.Tests.Grains;

public class ClusterRegistryGrainTests
{
    [Fact]
    public async Task Leases_slots_of_live_silos_and_frees_those_of_a_killed_silo()
    {
        await using var host = await ClusterTestHost.StartAsync();
        await host.RegisterCpuSlot(host.Primary);
        await host.RegisterCpuSlot(host.Secondary);
        var primarySlot = ClusterTestHost.CpuSlot(host.Primary);
        var secondarySlot = ClusterTestHost.CpuSlot(host.Secondary);

        var both = await host.Registry.Allocate("a", 2, 2, "cpu");
        Assert.Equal(new[] { primarySlot, secondarySlot }.OrderBy(s => s.WorkerKey), both.OrderBy(s => s.WorkerKey));
        Assert.Empty(await host.Registry.Allocate("b", 1, 1, null));
        Assert.Empty(await host.Registry.Allocate("b", 1, 1, "cuda"));
        Assert.Equal(both, await host.Registry.Allocate("a", 2, 2, "cpu"));

        await host.Registry.ReleaseSlot(primarySlot.WorkerKey);
        Assert.Equal([primarySlot], await host.Registry.Allocate("b", 1, 1, "cpu"));

        await host.Cluster.KillSiloAsync(host.Secondary);
        await host.Cluster.WaitForLivenessToStabilizeAsync(didKill: true);

        var view = await host.Registry.GetView();
        Assert.Equal([(primarySlot.SiloAddress, true), (secondarySlot.SiloAddress, false)],
            view.Silos.OrderBy(s => s.Silo.Address == secondarySlot.SiloAddress).Select(s => (s.Silo.Address, s.Alive)));
        // "a" held only the dead silo's slot: that lease is dropped, and a dead slot is never handed out again.
        await host.Registry.Release("b");
        Assert.Equal([primarySlot], await host.Registry.Allocate("a", 1, 1, "cpu"));
        var after = await host.Registry.GetView();
        Assert.Null(after.Silos.Single(s => s.Silo.Address == secondarySlot.SiloAddress).Slots.Single().ExperimentId);
        Assert.Equal(secondarySlot.WorkerKey, WorkerKey.For(secondarySlot.SiloAddress, "cpu:0"));
    }
}
