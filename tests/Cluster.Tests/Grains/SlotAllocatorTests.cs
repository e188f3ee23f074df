using Cluster.Abstractions.Registry;
using Cluster.Abstractions.Workers;
using Cluster.Grains.Registry;

namespace Cluster.Tests.Grains;

public class SlotAllocatorTests
{
    private static readonly DateTimeOffset Seen = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    private static SlotInfo Slot(string silo, string device) =>
        new(WorkerKey.For(silo, device), silo, $"silo-{silo}", device, device.StartsWith("cuda") ? "cuda" : "cpu", device, 1 << 30);

    private static RegistryRecord Registry(params (string Silo, string[] Devices)[] silos)
    {
        var record = new RegistryRecord();
        foreach (var (silo, devices) in silos)
            record.Silos[silo] = new SiloEntry(new SiloRegistration($"silo-{silo}", silo, "host", devices.Select(d => Slot(silo, d)).ToList()), Seen);
        return record;
    }

    private static bool AllAlive(SiloEntry _) => true;

    [Fact]
    public void Allocation_is_all_or_nothing()
    {
        var record = Registry(("a", ["cpu:0"]), ("b", ["cpu:0"]));
        Assert.Single(SlotAllocator.Allocate(record, "x", 1, "cpu", AllAlive));

        Assert.Empty(SlotAllocator.Allocate(record, "y", 2, "cpu", AllAlive));
        Assert.Single(record.Leases);
    }

    [Fact]
    public void A_repeated_allocation_returns_the_same_lease()
    {
        var record = Registry(("a", ["cpu:0", "cpu:1"]));
        var first = SlotAllocator.Allocate(record, "x", 1, "cpu", AllAlive);
        var again = SlotAllocator.Allocate(record, "x", 1, "cpu", AllAlive);

        Assert.Equal(first, again);
        Assert.Single(record.Leases);
    }

    [Fact]
    public void Any_kind_takes_cuda_first_and_falls_back_to_cpu()
    {
        var record = Registry(("a", ["cpu:0"]), ("b", ["cuda:0"]));
        Assert.Equal("cuda:0", SlotAllocator.Allocate(record, "x", 1, null, AllAlive).Single().Device);
        Assert.Equal("cpu:0", SlotAllocator.Allocate(record, "y", 1, null, AllAlive).Single().Device);
        Assert.Empty(SlotAllocator.Allocate(record, "z", 1, null, AllAlive));
    }

    [Fact]
    public void Slots_of_dead_silos_are_neither_allocated_nor_kept_leased()
    {
        var record = Registry(("a", ["cpu:0"]), ("b", ["cpu:0"]));
        SlotAllocator.Allocate(record, "x", 2, "cpu", AllAlive);
        bool BOnly(SiloEntry s) => s.Registration.Address == "b";

        var freed = SlotAllocator.ReleaseDead(record, BOnly);

        Assert.Equal([WorkerKey.For("a", "cpu:0")], freed);
        Assert.Empty(SlotAllocator.Allocate(record, "y", 1, "cpu", BOnly));
        var view = SlotAllocator.View(record, BOnly, Seen);
        Assert.Equal([false, true], view.Silos.Select(s => s.Alive));
        Assert.Equal([null, "x"], view.Silos.Select(s => s.Slots.Single().ExperimentId));
    }

    [Fact]
    public void Release_frees_every_slot_of_the_experiment_only()
    {
        var record = Registry(("a", ["cpu:0", "cpu:1", "cpu:2"]));
        SlotAllocator.Allocate(record, "x", 2, "cpu", AllAlive);
        SlotAllocator.Allocate(record, "y", 1, "cpu", AllAlive);

        SlotAllocator.Release(record, "x");

        Assert.Equal(["y"], record.Leases.Values);
        Assert.Equal(2, SlotAllocator.Allocate(record, "z", 2, "cpu", AllAlive).Count);
    }
}
