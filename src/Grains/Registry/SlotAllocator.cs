using Cluster.Abstractions.Registry;

namespace Cluster.Grains.Registry;

/// <summary>Slot leasing rules, free of Orleans; <paramref name="isAlive"/> arguments decide which silos count.</summary>
public static class SlotAllocator
{
    /// <summary>With no kind asked for, a group takes CUDA slots if enough are free, else CPU slots; never a mix.</summary>
    public static readonly IReadOnlyList<string> KindPreference = ["cuda", "cpu"];

    /// <summary>
    /// Leases between <paramref name="minCount"/> and <paramref name="maxCount"/> slots of one kind to
    /// <paramref name="experimentId"/>, counting the slots it already holds: as many as are free up to the most, or none
    /// (leasing nothing) when fewer than the minimum are. Slots in <paramref name="exclude"/> are never leased.
    /// </summary>
    public static IReadOnlyList<SlotInfo> Allocate(RegistryRecord record, string experimentId, int minCount, int maxCount,
        string? kind, Func<SiloEntry, bool> isAlive, IReadOnlyCollection<string>? exclude = null)
    {
        if (minCount < 1 || maxCount < minCount)
            throw new ArgumentException($"experiment '{experimentId}': cannot allocate between {minCount} and {maxCount} slots");
        var alive = AliveSlots(record, isAlive).Where(s => exclude is null || !exclude.Contains(s.WorkerKey)).ToList();
        foreach (var k in kind is null ? KindPreference : [kind])
        {
            var ofKind = alive.Where(s => s.Kind == k).ToList();
            var held = ofKind.Where(s => record.Leases.GetValueOrDefault(s.WorkerKey) == experimentId).ToList();
            var free = ofKind.Where(s => !record.Leases.ContainsKey(s.WorkerKey)).ToList();
            int count = Math.Min(maxCount, held.Count + free.Count);
            if (count < minCount) continue;
            if (held.Count >= count) return held.Take(count).ToList();
            var taken = free.Take(count - held.Count).ToList();
            foreach (var slot in taken) record.Leases[slot.WorkerKey] = experimentId;
            return [.. held, .. taken];
        }
        return [];
    }

    /// <summary>
    /// Slots of live silos an experiment could lease now (free or already its own, not excluded) of
    /// <paramref name="kind"/>; with no kind asked for, of the kind that has most.
    /// </summary>
    public static int Available(ClusterView view, string experimentId, string? kind, IReadOnlyCollection<string>? exclude = null)
    {
        var slots = view.Silos.Where(s => s.Alive).SelectMany(s => s.Slots)
            .Where(s => (s.ExperimentId is null || s.ExperimentId == experimentId)
                        && (exclude is null || !exclude.Contains(s.Slot.WorkerKey)))
            .ToList();
        return (kind is null ? KindPreference : [kind]).Max(k => slots.Count(s => s.Slot.Kind == k));
    }

    /// <summary>Frees the leases of slots whose silo is dead or unknown; returns the freed worker keys.</summary>
    public static IReadOnlyList<string> ReleaseDead(RegistryRecord record, Func<SiloEntry, bool> isAlive)
    {
        var aliveKeys = AliveSlots(record, isAlive).Select(s => s.WorkerKey).ToHashSet();
        var dead = record.Leases.Keys.Where(k => !aliveKeys.Contains(k)).ToList();
        foreach (var key in dead) record.Leases.Remove(key);
        return dead;
    }

    public static void Release(RegistryRecord record, string experimentId)
    {
        foreach (var key in record.Leases.Where(l => l.Value == experimentId).Select(l => l.Key).ToList())
            record.Leases.Remove(key);
    }

    public static ClusterView View(RegistryRecord record, Func<SiloEntry, bool> isAlive, DateTimeOffset now) => new(
        record.Silos.Values.OrderBy(s => s.Registration.Name, StringComparer.Ordinal).Select(s => new SiloView(
            s.Registration, isAlive(s), s.LastSeen,
            s.Registration.Slots.Select(slot => new SlotView(slot, record.Leases.GetValueOrDefault(slot.WorkerKey))).ToList())).ToList(),
        now);

    /// <summary>Stable order (silo name, then device), so allocation is predictable.</summary>
    private static IEnumerable<SlotInfo> AliveSlots(RegistryRecord record, Func<SiloEntry, bool> isAlive) =>
        record.Silos.Values.Where(isAlive)
            .OrderBy(s => s.Registration.Name, StringComparer.Ordinal).ThenBy(s => s.Registration.Address, StringComparer.Ordinal)
            .SelectMany(s => s.Registration.Slots.OrderBy(slot => slot.Device, StringComparer.Ordinal));
}
