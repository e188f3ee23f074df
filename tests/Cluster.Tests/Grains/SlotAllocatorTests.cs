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
        Assert.Single(SlotAllocator.Allocate(record, "x", 1, 1, "cpu", AllAlive));

        Assert.Empty(SlotAllocator.Allocate(record, "y", 2, 2, "cpu", AllAlive));
        Assert.Single(record.Leases);
    }

    [Fact]
    public void A_repeated_allocation_returns_the_same_lease()
    {
        var record = Registry(("a", ["cpu:0", "cpu:1"]));
        var first = SlotAllocator.Allocate(record, "x", 1, 1, "cpu", AllAlive);
        var again = SlotAllocator.Allocate(record, "x", 1, 1, "cpu", AllAlive);

        Assert.Equal(first, again);
        Assert.Single(record.Leases);
    }

    [Fact]
    public void Any_kind_takes_cuda_first_and_falls_back_to_cpu()
    {
        var record = Registry(("a", ["cpu:0"]), ("b", ["cuda:0"]));
        Assert.Equal("cuda:0", SlotAllocator.Allocate(record, "x", 1, 1, null, AllAlive).Single().Device);
        Assert.Equal("cpu:0", SlotAllocator.Allocate(record, "y", 1, 1, null, AllAlive).Single().Device);
        Assert.Empty(SlotAllocator.Allocate(record, "z", 1, 1, null, AllAlive));
    }

    [Fact]
    public void Slots_of_dead_silos_are_neither_allocated_nor_kept_leased()
    {
        var record = Registry(("a", ["cpu:0"]), ("b", ["cpu:0"]));
        SlotAllocator.Allocate(record, "x", 2, 2, "cpu", AllAlive);
        bool BOnly(SiloEntry s) => s.Registration.Address == "b";

        var freed = SlotAllocator.ReleaseDead(record, BOnly);

        Assert.Equal([WorkerKey.For("a", "cpu:0")], freed);
        Assert.Empty(SlotAllocator.Allocate(record, "y", 1, 1, "cpu", BOnly));
        var view = SlotAllocator.View(record, BOnly, Seen);
        Assert.Equal([false, true], view.Silos.Select(s => s.Alive));
        Assert.Equal([null, "x"], view.Silos.Select(s => s.Slots.Single().ExperimentId));
    }

    [Fact]
    public void Release_frees_every_slot_of_the_experiment_only()
    {
        var record = Registry(("a", ["cpu:0", "cpu:1", "cpu:2"]));
        SlotAllocator.Allocate(record, "x", 2, 2, "cpu", AllAlive);
        SlotAllocator.Allocate(record, "y", 1, 1, "cpu", AllAlive);

        SlotAllocator.Release(record, "x");

        Assert.Equal(["y"], record.Leases.Values);
        Assert.Equal(2, SlotAllocator.Allocate(record, "z", 2, 2, "cpu", AllAlive).Count);
    }

    [Fact]
    public void A_group_takes_as_many_free_slots_as_there_are_up_to_its_most()
    {
        var record = Registry(("a", ["cpu:0", "cpu:1"]), ("b", ["cpu:0"]));

        var group = SlotAllocator.Allocate(record, "x", 1, 2, "cpu", AllAlive);
        Assert.Equal(["a/cpu:0", "a/cpu:1"], group.Select(s => s.WorkerKey));
        var rest = SlotAllocator.Allocate(record, "y", 1, 4, "cpu", AllAlive);
        Assert.Equal(["b/cpu:0"], rest.Select(s => s.WorkerKey));
        Assert.Equal(3, record.Leases.Count);
    }

    [Fact]
    public void Fewer_free_slots_than_the_minimum_lease_nothing()
    {
        var record = Registry(("a", ["cpu:0", "cpu:1"]), ("b", ["cpu:0"]));
        SlotAllocator.Allocate(record, "x", 1, 1, "cpu", AllAlive);

        Assert.Empty(SlotAllocator.Allocate(record, "y", 3, 3, "cpu", AllAlive));
        Assert.Single(record.Leases);
        Assert.Equal(2, SlotAllocator.Allocate(record, "y", 2, 3, "cpu", AllAlive).Count);
    }

    [Fact]
    public void A_repeated_allocation_keeps_what_it_holds_and_grows_toward_the_most()
    {
        var record = Registry(("a", ["cpu:0", "cpu:1"]), ("b", ["cpu:0"]));
        SlotAllocator.Allocate(record, "other", 1, 1, "cpu", AllAlive); // a/cpu:0
        var first = SlotAllocator.Allocate(record, "x", 1, 3, "cpu", AllAlive);
        Assert.Equal(["a/cpu:1", "b/cpu:0"], first.Select(s => s.WorkerKey));

        SlotAllocator.Release(record, "other");
        var grown = SlotAllocator.Allocate(record, "x", 1, 3, "cpu", AllAlive);
        Assert.Equal(["a/cpu:1", "b/cpu:0", "a/cpu:0"], grown.Select(s => s.WorkerKey));
    }

    [Fact]
    public void Excluded_slots_are_never_leased_and_do_not_count_toward_the_minimum()
    {
        var record = Registry(("a", ["cpu:0", "cpu:1"]));

        Assert.Empty(SlotAllocator.Allocate(record, "x", 2, 2, "cpu", AllAlive, exclude: ["a/cpu:0"]));
        Assert.Empty(record.Leases);
        Assert.Equal(["a/cpu:1"], SlotAllocator.Allocate(record, "x", 1, 2, "cpu", AllAlive, exclude: ["a/cpu:0"]).Select(s => s.WorkerKey));
    }

    [Fact]
    public void With_no_kind_asked_a_group_takes_cuda_when_its_minimum_of_cuda_is_free()
    {
        var record = Registry(("a", ["cuda:0", "cpu:0", "cpu:1", "cpu:2"]));

        Assert.Equal(["a/cuda:0"], SlotAllocator.Allocate(record, "x", 1, 3, null, AllAlive).Select(s => s.WorkerKey));
        Assert.Equal(["a/cpu:0", "a/cpu:1"], SlotAllocator.Allocate(record, "y", 2, 2, null, AllAlive).Select(s => s.WorkerKey));
    }

    [Fact]
    public void A_bad_range_is_refused()
    {
        var record = Registry(("a", ["cpu:0"]));
        var e = Assert.Throws<ArgumentException>(() => SlotAllocator.Allocate(record, "x", 2, 1, "cpu", AllAlive));
        Assert.Equal("experiment 'x': cannot allocate between 2 and 1 slots", e.Message);
    }

    [Fact]
    public void Available_counts_free_and_own_slots_of_live_silos_not_excluded()
    {
        var record = Registry(("a", ["cpu:0", "cpu:1"]), ("b", ["cpu:0", "cuda:0"]));
        SlotAllocator.Allocate(record, "other", 1, 1, "cpu", AllAlive); // a/cpu:0
        SlotAllocator.Allocate(record, "x", 1, 1, "cpu", AllAlive);     // a/cpu:1
        var view = SlotAllocator.View(record, s => s.Registration.Address == "a" || s.Registration.Address == "b", Seen);

        Assert.Equal(2, SlotAllocator.Available(view, "x", "cpu"));
        Assert.Equal(1, SlotAllocator.Available(view, "x", "cpu", exclude: ["b/cpu:0"]));
        Assert.Equal(1, SlotAllocator.Available(view, "y", null));
        var bDead = SlotAllocator.View(record, s => s.Registration.Address == "a", Seen);
        Assert.Equal(1, SlotAllocator.Available(bDead, "x", "cpu"));
    }
}
