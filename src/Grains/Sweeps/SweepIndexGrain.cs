using Cluster.Abstractions.Sweeps;
using Orleans.Runtime;

namespace Cluster.Grains.Sweeps;

/// <summary>
/// The index <c>cluster sweep list</c> reads: one line per sweep, kept up to date by each sweep grain whenever its
/// summary changes. A grain of its own (not the registry) so sweeps add no load or state to slot allocation.
/// </summary>
public sealed class SweepIndexGrain(
    [PersistentState("sweeps", GrainStorageNames.Cluster)] IPersistentState<SweepIndexRecord> state) : Grain, ISweepIndexGrain
{
    public async Task Track(SweepSummary summary)
    {
        if (state.State.Sweeps.TryGetValue(summary.Id, out var known) && known == summary) return;
        state.State.Sweeps[summary.Id] = summary;
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<SweepSummary>> List() =>
        Task.FromResult<IReadOnlyList<SweepSummary>>(state.State.Sweeps.Values.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).ToList());
}

[GenerateSerializer]
public sealed class SweepIndexRecord
{
    [Id(0)] public Dictionary<string, SweepSummary> Sweeps { get; set; } = [];
}
