using Cluster.Abstractions.Data;
using Cluster.Abstractions.Experiments;
using Cluster.Training.Data.Loading;

namespace Cluster.Grains.Workers;

/// <summary>
/// The train loader's epoch order from the worker's dataset shard grain, and the shard's consumption ledger: committed
/// with every stored checkpoint, checked against the checkpoint a run resumes from. Called on the training thread.
/// </summary>
internal sealed class ShardEpochOrder(
    IDatasetShardGrain shard, string shardKey, string experimentId, int batchSize, bool dropLast,
    CheckpointRef? resumeFrom, Action<string> log) : IEpochOrderProvider
{
    private int samplesPerEpoch = -1;

    public string ShardKey => shardKey;

    public int[] EpochIndices(DefaultSampler sampler, int epoch)
    {
        var (_, _, index, count) = Abstractions.Data.ShardKey.Parse(shardKey);
        if (sampler.Shard.Indices is not null || sampler.Shard.WorldSize != count || sampler.Shard.Rank != index)
            throw new InvalidOperationException($"shard {shardKey}: the train sampler reads rank {sampler.Shard.Rank} of {sampler.Shard.WorldSize}"
                + (sampler.Shard.Indices is null ? "" : " of a sampler.indices subset"));
        if (samplesPerEpoch < 0)
        {
            samplesPerEpoch = sampler.Count;
            if (resumeFrom is not null) CheckResumePosition(resumeFrom);
        }
        return Wait(() => shard.GetEpochOrder(new ShardOrderRequest(sampler.DatasetSize, sampler.Shuffle, sampler.Seed, epoch, sampler.RoundUp)));
    }

    /// <summary>Records a stored checkpoint's position (the shard grain ignores one that is not ahead).</summary>
    public void Commit(CheckpointRef checkpoint)
    {
        if (samplesPerEpoch < 0 || Consumed(checkpoint) is not { } position) return;
        Wait(() => shard.CommitConsumption(experimentId, position.Epoch, position.Samples));
    }

    private void CheckResumePosition(CheckpointRef checkpoint)
    {
        var position = Consumed(checkpoint);
        var (epoch, sample) = ShardPosition.Next(position, samplesPerEpoch);
        log($"resuming epoch {epoch} at sample {sample} of {samplesPerEpoch} (shard {shardKey})");
        var committed = Wait(() => shard.GetConsumption(experimentId));
        if (committed != position)
            log($"shard {shardKey} has {Describe(committed)} committed for {experimentId}, the checkpoint {checkpoint.Key} " +
                $"is at {Describe(position)}; following the checkpoint");
    }

    private ShardConsumption? Consumed(CheckpointRef checkpoint)
    {
        int itersPerEpoch = dropLast ? samplesPerEpoch / batchSize : (samplesPerEpoch + batchSize - 1) / batchSize;
        return ShardPosition.Consumed(checkpoint.Epoch, checkpoint.Iteration, itersPerEpoch, batchSize, samplesPerEpoch);
    }

    private static string Describe(ShardConsumption? position) =>
        position is null ? "nothing" : $"epoch {position.Epoch} sample {position.Samples}";

    // The training thread has no scheduler to deadlock, but a grain call must not capture one if it ever had.
    private static T Wait<T>(Func<Task<T>> call) => Task.Run(call).GetAwaiter().GetResult();
    private static void Wait(Func<Task> call) => Task.Run(call).GetAwaiter().GetResult();
}
