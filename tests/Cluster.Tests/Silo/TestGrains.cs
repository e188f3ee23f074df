using Cluster.Grains.Placement;
using Orleans.Runtime;

namespace Cluster.Tests.Silo;

/// <summary>Reports where it runs; keyed like a worker (<c>{silo address}/{device}</c>) so it is silo-pinned.</summary>
public interface IPinnedProbeGrain : IGrainWithStringKey
{
    Task<string> HostSilo();
}

[SiloPinnedPlacement]
public sealed class PinnedProbeGrain(ILocalSiloDetails silo) : Grain, IPinnedProbeGrain
{
    public Task<string> HostSilo() => Task.FromResult(silo.SiloAddress.ToParsableString());
}

/// <summary>A counter kept in the cluster's grain storage.</summary>
public interface IStoredCounterGrain : IGrainWithStringKey
{
    Task<int> Increment();
    Task<int> Get();
}

[GenerateSerializer]
public sealed class CounterState
{
    [Id(0)] public int Value { get; set; }
}

public sealed class StoredCounterGrain([PersistentState("counter", "cluster")] IPersistentState<CounterState> state)
    : Grain, IStoredCounterGrain
{
    public async Task<int> Increment()
    {
        state.State.Value++;
        await state.WriteStateAsync();
        return state.State.Value;
    }

    public Task<int> Get() => Task.FromResult(state.State.Value);
}
