using Cluster.Abstractions.Experiments;

namespace Cluster.Abstractions.Registry;

/// <summary>
/// The cluster's silos and compute slots (free/busy) and its experiment index; key 0. Allocation takes at least the
/// minimum or nothing, in one grain turn, so two experiments never hold half of what each needs (no deadlock).
/// </summary>
public interface IClusterRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>A silo announces (and periodically re-announces) itself and its slots.</summary>
    Task RegisterSilo(SiloRegistration silo);

    /// <summary>
    /// Leases between <paramref name="minCount"/> and <paramref name="maxCount"/> slots of <paramref name="deviceKind"/>
    /// (null: any, CUDA first) on live silos to an experiment: as many free ones as there are up to the most, or none at
    /// all when fewer than <paramref name="minCount"/> are free. Slots it already holds count (a repeated call returns its
    /// lease, grown toward the most if more became free). <paramref name="exclude"/>: worker keys not to lease (a hung
    /// worker kept out of the experiment's next group).
    /// </summary>
    Task<IReadOnlyList<SlotInfo>> Allocate(string experimentId, int minCount, int maxCount, string? deviceKind,
        IReadOnlyCollection<string>? exclude = null);

    /// <summary>Frees every slot leased to the experiment.</summary>
    Task Release(string experimentId);

    /// <summary>Frees one slot (its silo died, or its worker failed).</summary>
    Task ReleaseSlot(string workerKey);

    Task<ClusterView> GetView();

    /// <summary>Adds or updates an experiment in the index <c>cluster list</c> reads.</summary>
    Task TrackExperiment(ExperimentSummary summary);

    Task<IReadOnlyList<ExperimentSummary>> ListExperiments();
}

/// <summary>A silo and its slots. <paramref name="Address"/> is Orleans' parsable silo address.</summary>
[GenerateSerializer, Immutable]
public sealed record SiloRegistration(
    [property: Id(0)] string Name,
    [property: Id(1)] string Address,
    [property: Id(2)] string HostName,
    [property: Id(3)] IReadOnlyList<SlotInfo> Slots);

/// <param name="Device">TorchSharp device string: <c>cuda:0</c>, <c>cpu:0</c> (a CPU slot).</param>
/// <param name="Kind"><c>cuda</c> or <c>cpu</c>.</param>
/// <param name="MemoryBytes">Device memory (CUDA) or the slot's share of host memory.</param>
[GenerateSerializer, Immutable]
public sealed record SlotInfo(
    [property: Id(0)] string WorkerKey,
    [property: Id(1)] string SiloAddress,
    [property: Id(2)] string SiloName,
    [property: Id(3)] string Device,
    [property: Id(4)] string Kind,
    [property: Id(5)] string DeviceName,
    [property: Id(6)] long MemoryBytes);

[GenerateSerializer, Immutable]
public sealed record ClusterView(
    [property: Id(0)] IReadOnlyList<SiloView> Silos,
    [property: Id(1)] DateTimeOffset At);

[GenerateSerializer, Immutable]
public sealed record SiloView(
    [property: Id(0)] SiloRegistration Silo,
    [property: Id(1)] bool Alive,
    [property: Id(2)] DateTimeOffset LastSeen,
    [property: Id(3)] IReadOnlyList<SlotView> Slots);

/// <param name="ExperimentId">The experiment leasing the slot; null when free.</param>
[GenerateSerializer, Immutable]
public sealed record SlotView(
    [property: Id(0)] SlotInfo Slot,
    [property: Id(1)] string? ExperimentId);

[GenerateSerializer, Immutable]
public sealed record ExperimentSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string ConfigName,
    [property: Id(2)] ExperimentState State,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset? EndedAt,
    [property: Id(5)] int Epoch,
    [property: Id(6)] int MaxEpochs,
    [property: Id(7)] BestMetric? Best);
