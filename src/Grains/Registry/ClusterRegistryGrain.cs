using Cluster.Abstractions.Registry;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Cluster.Grains.Registry;

/// <summary>
/// Silos, slot leases and the experiment index (key 0). A silo is alive while membership lists it as Active and it
/// re-registered within <see cref="ClusterRegistryOptions.SiloTimeout"/>; leases on dead silos are dropped.
/// </summary>
public sealed class ClusterRegistryGrain(
    [PersistentState("registry", GrainStorageNames.Cluster)] IPersistentState<RegistryRecord> state,
    IClusterMembershipService membership,
    IOptions<ClusterRegistryOptions> options) : Grain, IClusterRegistryGrain
{
    private RegistryRecord Record => state.State;

    public Task RegisterSilo(SiloRegistration silo)
    {
        bool known = Record.Silos.TryGetValue(silo.Address, out var previous);
        Record.Silos[silo.Address] = new SiloEntry(silo, DateTimeOffset.UtcNow);
        // Re-registration only refreshes LastSeen (kept in memory); a new or changed silo is written.
        return known && SameSlots(previous!.Registration, silo) ? Task.CompletedTask : state.WriteStateAsync();
    }

    public async Task<IReadOnlyList<SlotInfo>> Allocate(string experimentId, int minCount, int maxCount, string? deviceKind,
        IReadOnlyCollection<string>? exclude = null)
    {
        var alive = IsAlive();
        SlotAllocator.ReleaseDead(Record, alive);
        var slots = SlotAllocator.Allocate(Record, experimentId, minCount, maxCount, deviceKind, alive, exclude);
        await state.WriteStateAsync();
        return slots;
    }

    public Task Release(string experimentId)
    {
        SlotAllocator.Release(Record, experimentId);
        return state.WriteStateAsync();
    }

    public Task ReleaseSlot(string workerKey) =>
        Record.Leases.Remove(workerKey) ? state.WriteStateAsync() : Task.CompletedTask;

    public Task<ClusterView> GetView() => Task.FromResult(SlotAllocator.View(Record, IsAlive(), DateTimeOffset.UtcNow));

    public Task TrackExperiment(ExperimentSummary summary)
    {
        Record.Experiments[summary.Id] = summary;
        return state.WriteStateAsync();
    }

    public Task<IReadOnlyList<ExperimentSummary>> ListExperiments() => Task.FromResult<IReadOnlyList<ExperimentSummary>>(
        Record.Experiments.Values.OrderByDescending(e => e.CreatedAt).ThenBy(e => e.Id, StringComparer.Ordinal).ToList());

    private Func<SiloEntry, bool> IsAlive()
    {
        var active = membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active)
            .Select(m => m.SiloAddress.ToParsableString())
            .ToHashSet();
        var cutoff = DateTimeOffset.UtcNow - options.Value.SiloTimeout;
        return entry => active.Contains(entry.Registration.Address) && entry.LastSeen >= cutoff;
    }

    private static bool SameSlots(SiloRegistration a, SiloRegistration b) =>
        a.Name == b.Name && a.HostName == b.HostName && a.Slots.SequenceEqual(b.Slots);
}
