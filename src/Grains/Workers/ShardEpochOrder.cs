using Cluster.Abstractions.Data;
using Cluster.Abstractions.Experiments;
using Cluster.Training.Data.Loading;
using Cluster.Training.Engine;

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

    /// <summary>
    /// Records a stored checkpoint's position (the shard grain ignores one that is not ahead). A failed commit is
    /// logged, not fatal: the ledger only lags, and the next checkpoint's commit catches it up.
    /// </summary>
    public void Commit(CheckpointRef checkpoint)
    {
        if (samplesPerEpoch < 0 || Consumed(checkpoint) is not { } position) return;
        try
        {
            Wait(() => shard.CommitConsumption(experimentId, position.Epoch, position.Samples));
        }
        catch (Exception error)
        {
            log($"shard {shardKey}: could not commit {Describe(position)} of {experimentId}: {WorkerRun.OneLine(error)}");
        }
    }

    private void CheckResumePosition(CheckpointRef checkpoint)
    {
        var position = Consumed(checkpoint);
        var (epoch, sample) = ShardPosition.Next(position, samplesPerEpoch);
        if (checkpoint.ItersPerEpoch > 0 && checkpoint.ItersPerEpoch != ItersPerEpoch)
            log($"the checkpoint {checkpoint.Key} was written with {checkpoint.ItersPerEpoch} iterations per epoch, shard {shardKey} " +
                $"reads {ItersPerEpoch} (another world size): its position is counted in whole epochs");
        log($"resuming epoch {epoch} at sample {sample} of {samplesPerEpoch} (shard {shardKey})");
        var committed = Wait(() => shard.GetConsumption(experimentId));
        if (committed != position)
            log($"shard {shardKey} has {Describe(committed)} committed for {experimentId}, the checkpoint {checkpoint.Key} " +
                $"is at {Describe(position)}; following the checkpoint");
    }

    private int ItersPerEpoch => DataLoader.BatchesFor(samplesPerEpoch, batchSize, dropLast);

    /// <summary>
    /// The checkpoint's position in this shard. A checkpoint of another sharding (another world size: a new shard key
    /// <c>{r}-of-{M}</c>) is placed as the engine resumes it (<see cref="ResumePosition"/>): at the end of its epoch, or
    /// the start of an epoch it was in the middle of.
    /// </summary>
    private ShardConsumption? Consumed(CheckpointRef checkpoint)
    {
        int itersPerEpoch = ItersPerEpoch;
        var (iteration, _) = ResumePosition.Recount(checkpoint.Epoch, checkpoint.Iteration,
            checkpoint.ItersPerEpoch > 0 ? checkpoint.ItersPerEpoch : null, itersPerEpoch);
        return ShardPosition.Consumed(checkpoint.Epoch, iteration, itersPerEpoch, batchSize, samplesPerEpoch);
    }

    private static string Describe(ShardConsumption? position) =>
        position is null ? "nothing" : $"epoch {position.Epoch} sample {position.Samples}";

    private static void Wait(Func<Task> call) => Wait(async () => { await call(); return true; });

    /// <summary>
    /// A grain call from the training thread, tried a few times: the shard grain may be reactivating after its silo
    /// died. Run off any scheduler the caller might have, so blocking cannot deadlock it.
    /// </summary>
    private static T Wait<T>(Func<Task<T>> call)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return Task.Run(call).GetAwaiter().GetResult();
            }
            catch (Exception error) when (attempt < 3 && error is not (ArgumentException or InvalidOperationException))
            {
                Thread.Sleep(TimeSpan.FromSeconds(attempt));
            }
        }
    }
}
