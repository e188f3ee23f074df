using Cluster.Abstractions.Data;
using Cluster.Training.Data.Loading;

namespace Cluster.Tests.Workers;

[Collection(ShardClusterCollection.Name)]
public sealed class DatasetShardGrainTests(ShardClusterFixture fixture)
{
    private IDatasetShardGrain Shard(string key) => fixture.Client.GetGrain<IDatasetShardGrain>(key);

    [Fact]
    public async Task EpochOrderIsDefaultSamplersForThatRank()
    {
        var shard = Shard(ShardKey.For("order-ds", "train", 1, 3));

        var epoch0 = await shard.GetEpochOrder(new ShardOrderRequest(DatasetSize: 20, Shuffle: true, Seed: 4, Epoch: 0));
        var epoch1 = await shard.GetEpochOrder(new ShardOrderRequest(20, true, 4, 1));
        var again = await shard.GetEpochOrder(new ShardOrderRequest(20, true, 4, 1));

        Assert.Equal(new DefaultSampler(20, true, 4, true, new DataShard(3, 1)).EpochIndices(0), epoch0);
        Assert.Equal(new DefaultSampler(20, true, 4, true, new DataShard(3, 1)).EpochIndices(1), epoch1);
        Assert.Equal(7, epoch0.Length);
        Assert.NotEqual(epoch0, epoch1);
        Assert.Equal(epoch1, again);
    }

    [Fact]
    public async Task ADifferentDatasetSizeUnderTheSameKeyIsRefused()
    {
        var key = ShardKey.For("size-ds", "train", 0, 1);
        await Shard(key).GetEpochOrder(new ShardOrderRequest(10, false, 0, 0));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Shard(key).GetEpochOrder(new ShardOrderRequest(12, false, 0, 0)));
        Assert.Contains(key, error.Message);
        Assert.Contains("12", error.Message);
    }

    [Fact]
    public async Task ConsumptionOnlyMovesForwardAndSurvivesDeactivation()
    {
        var shard = Shard(ShardKey.For("ledger-ds", "train", 0, 2));
        Assert.Null(await shard.GetConsumption("exp-a"));

        await shard.CommitConsumption("exp-a", 2, 40);
        await shard.CommitConsumption("exp-a", 1, 80);  // stale: ignored
        await shard.CommitConsumption("exp-a", 2, 10);  // stale: ignored
        await shard.CommitConsumption("exp-b", 1, 8);
        await fixture.Cluster.DeactivateAsync(shard);

        Assert.Equal(new ShardConsumption(2, 40), await shard.GetConsumption("exp-a"));
        Assert.Equal(new ShardConsumption(1, 8), await shard.GetConsumption("exp-b"));
        await shard.CommitConsumption("exp-a", 3, 0);
        Assert.Equal(new ShardConsumption(3, 0), await shard.GetConsumption("exp-a"));
    }
}
