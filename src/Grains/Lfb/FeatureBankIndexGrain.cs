using Cluster.Abstractions.Lfb;

namespace Cluster.Grains.Lfb;

/// <summary>The index <c>cluster lfb list</c> reads: one line per bank split, kept by each bank grain.</summary>
public sealed class FeatureBankIndexGrain(
    [PersistentState("banks", GrainStorageNames.Cluster)] IPersistentState<FeatureBankIndexRecord> state) : Grain, IFeatureBankIndexGrain
{
    public async Task Track(BankSummary summary)
    {
        string key = $"{summary.Id}/{summary.Split}";
        if (state.State.Banks.TryGetValue(key, out var known) && known == summary) return;
        state.State.Banks[key] = summary;
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<BankSummary>> List() => Task.FromResult<IReadOnlyList<BankSummary>>(
        state.State.Banks.Values.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id, StringComparer.Ordinal).ThenBy(s => s.Split, StringComparer.Ordinal).ToList());
}

[GenerateSerializer]
public sealed class FeatureBankIndexRecord
{
    [Id(0)] public Dictionary<string, BankSummary> Banks { get; set; } = [];
}
