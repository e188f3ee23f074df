using Cluster.Abstractions.Data;
using Cluster.Abstractions.Experiments;
using Cluster.Grains.Workers;
using Cluster.Training.Data.Loading;

namespace Cluster.Tests.Workers;

/// <summary>
/// The shard ledger on resume when the group's world size changed: a checkpoint written by one worker over 12 samples
/// (batches of 2: 6 iterations per epoch) read back by rank 0 of a group of 2 (shard key 0-of-2: 6 samples, 3 iterations).
/// </summary>
[Collection(ShardClusterCollection.Name)]
public sealed class ShardResumeWithAnotherWorldSizeTests(ShardClusterFixture fixture)
{
    private static CheckpointRef Checkpoint(int epoch, long iteration, int itersPerEpoch) =>
        new($"experiments/e/epoch_{epoch}.pth", "file:///x", "ab", 1, epoch, iteration, false, itersPerEpoch);

    private (ShardEpochOrder Order, List<string> Log, IDatasetShardGrain Grain) Order(string dataset, string experiment, CheckpointRef resume)
    {
        string key = ShardKey.For(dataset, "train", 0, 2);
        var grain = fixture.Client.GetGrain<IDatasetShardGrain>(key);
        var log = new List<string>();
        return (new ShardEpochOrder(grain, key, experiment, batchSize: 2, dropLast: false, resume, log.Add), log, grain);
    }

    private static DefaultSampler RankZeroOfTwo() => new(12, shuffle: true, seed: 1, roundUp: true, new DataShard(2, 0));

    [Fact]
    public void A_checkpoint_at_an_epoch_end_resumes_the_next_epoch_from_its_first_sample_of_the_new_shard()
    {
        var (order, log, _) = Order("resize-end", "e1", Checkpoint(epoch: 1, iteration: 6, itersPerEpoch: 6));

        var indices = order.EpochIndices(RankZeroOfTwo(), 1);

        Assert.Equal(RankZeroOfTwo().EpochIndices(1), indices);
        Assert.Contains("resuming epoch 2 at sample 0 of 6 (shard resize-end/train/0-of-2)", log);
        Assert.Contains(log, l => l.Contains("was written with 6 iterations per epoch, shard resize-end/train/0-of-2 reads 3 (another world size)"));
        // The new shard key has nothing committed yet: said, not refused.
        Assert.Contains(log, l => l.Contains("has nothing committed for e1") && l.Contains("following the checkpoint"));
    }

    [Fact]
    public void A_mid_epoch_checkpoint_restarts_its_epoch_in_the_new_shard()
    {
        var (order, log, _) = Order("resize-mid", "e2", Checkpoint(epoch: 1, iteration: 8, itersPerEpoch: 6));

        order.EpochIndices(RankZeroOfTwo(), 1);

        Assert.Contains("resuming epoch 2 at sample 0 of 6 (shard resize-mid/train/0-of-2)", log);
    }

    [Fact]
    public void A_checkpoint_without_its_epoch_length_that_does_not_fit_is_placed_at_its_epoch_end()
    {
        // Iteration 6 of a 3-per-epoch shard would read as "all of epoch 2": that skipped a whole epoch.
        var (order, log, _) = Order("resize-old", "e3", Checkpoint(epoch: 1, iteration: 6, itersPerEpoch: 0));

        order.EpochIndices(RankZeroOfTwo(), 1);

        Assert.Contains("resuming epoch 2 at sample 0 of 6 (shard resize-old/train/0-of-2)", log);
    }

    [Fact]
    public async Task The_new_shard_commits_its_own_positions_after_the_resume()
    {
        var (order, _, grain) = Order("resize-commit", "e4", Checkpoint(epoch: 1, iteration: 6, itersPerEpoch: 6));
        order.EpochIndices(RankZeroOfTwo(), 1);

        order.Commit(Checkpoint(epoch: 2, iteration: 6, itersPerEpoch: 3));

        Assert.Equal(new ShardConsumption(2, 6), await grain.GetConsumption("e4"));
    }
}
