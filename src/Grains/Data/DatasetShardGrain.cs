using Cluster.Abstractions.Data;
using Cluster.Training.Data.Loading;

namespace Cluster.Grains.Data;

/// <summary>
/// One shard of a dataset split (<see cref="ShardKey"/>): hands out MMEngine DefaultSampler's order for a (seed, epoch)
/// of its rank, and keeps each experiment's committed consumption, which only moves forward.
/// </summary>
public sealed class DatasetShardGrain(
    [PersistentState("shard", GrainStorageNames.Cluster)] IPersistentState<ShardState> state) : Grain, IDatasetShardGrain
{
    public async Task<int[]> GetEpochOrder(ShardOrderRequest request)
    {
        var (_, _, index, count) = ShardKey.Parse(this.GetPrimaryKeyString());
        if (request.DatasetSize < 1)
            throw new ArgumentException($"shard {this.GetPrimaryKeyString()}: dataset size must be positive, got {request.DatasetSize}");
        if (request.Epoch < 0)
            throw new ArgumentException($"shard {this.GetPrimaryKeyString()}: epoch must not be negative, got {request.Epoch}");
        if (state.State.DatasetSize is { } known && known != request.DatasetSize)
            throw new InvalidOperationException(
                $"shard {this.GetPrimaryKeyString()}: dataset size {request.DatasetSize} differs from the {known} samples it was first read with " +
                "(the files changed under the same ann_file and data_prefix)");
        if (state.State.DatasetSize is null)
        {
            state.State.DatasetSize = request.DatasetSize;
            await state.WriteStateAsync();
        }
        return new DefaultSampler(request.DatasetSize, request.Shuffle, request.Seed, request.RoundUp, new DataShard(count, index))
            .EpochIndices(request.Epoch);
    }

    public async Task CommitConsumption(string experimentId, int epoch, int samples)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentId);
        if (epoch < 1 || samples < 0)
            throw new ArgumentException($"shard {this.GetPrimaryKeyString()}: position epoch {epoch} sample {samples} of {experimentId} is invalid (epoch ≥ 1, samples ≥ 0)");
        if (state.State.Consumption.TryGetValue(experimentId, out var current)
            && (current.Epoch > epoch || (current.Epoch == epoch && current.Samples >= samples)))
            return; // stale or repeated: positions never go backwards
        state.State.Consumption[experimentId] = new ShardConsumption(epoch, samples);
        await state.WriteStateAsync();
    }

    public Task<ShardConsumption?> GetConsumption(string experimentId) =>
        Task.FromResult(state.State.Consumption.GetValueOrDefault(experimentId));
}
