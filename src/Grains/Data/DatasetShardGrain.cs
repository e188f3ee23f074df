using Cluster.Abstractions.Data;
using Cluster.Abstractions.Lfb;
using Cluster.Training.Data.Loading;

namespace Cluster.Grains.Data;

/// <summary>
/// One shard of a dataset split (<see cref="ShardKey"/>): hands out MMEngine DefaultSampler's order for a (seed, epoch)
/// of its rank, and keeps each experiment's committed consumption, which only moves forward. For feature banks it
/// records each bank's claims and stored part, so a shard with a part is never computed again.
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

    public async Task<BankWorkRecord> ClaimBankWork(string bankId, IReadOnlyList<string> videos)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bankId);
        ArgumentNullException.ThrowIfNull(videos);
        if (state.State.Banks.TryGetValue(bankId, out var known))
        {
            if (!known.Videos.SequenceEqual(videos))
                throw new InvalidOperationException(
                    $"shard {this.GetPrimaryKeyString()}: bank '{bankId}' claimed it for {videos.Count} video(s) other than the {known.Videos.Count} it was first claimed for");
            if (known.Part is not null) return known;
        }
        var claimed = new BankWorkRecord((known?.Computations ?? 0) + 1, null, known?.Videos ?? videos.ToList());
        state.State.Banks[bankId] = claimed;
        await state.WriteStateAsync();
        return claimed;
    }

    public async Task<BankPart> CompleteBankWork(string bankId, BankPart part)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bankId);
        ArgumentNullException.ThrowIfNull(part);
        if (!state.State.Banks.TryGetValue(bankId, out var known))
            throw new InvalidOperationException($"shard {this.GetPrimaryKeyString()}: bank '{bankId}' completed it without claiming it");
        if (known.Part is { } first) return first; // a duplicate computation (a worker thought lost) keeps the first part
        state.State.Banks[bankId] = known with { Part = part };
        await state.WriteStateAsync();
        return part;
    }

    public Task<BankWorkRecord?> GetBankWork(string bankId) => Task.FromResult(state.State.Banks.GetValueOrDefault(bankId));
}
