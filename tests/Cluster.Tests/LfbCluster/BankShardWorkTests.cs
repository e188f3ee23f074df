using Cluster.Abstractions.Data;
using Cluster.Abstractions.Lfb;
using Cluster.Tests.Workers;

namespace Cluster.Tests.LfbCluster;

/// <summary>The bank-work record of DatasetShardGrain: claims are counted until a part is stored, which then stays.</summary>
[Collection(ShardClusterCollection.Name)]
public sealed class BankShardWorkTests(ShardClusterFixture fixture)
{
    private static BankPart Part(string sha) =>
        new(new BankBlob("banks/b/parts/val/0.bank", "file:///p", 64, sha), 12, 2, 0.5, "worker-1", DateTimeOffset.UtcNow);

    [Fact]
    public async Task AStoredPartIsReturnedToLaterClaimsInsteadOfAComputationAndSurvivesDeactivation()
    {
        var shard = fixture.Client.GetGrain<IDatasetShardGrain>(ShardKey.For("bank-ds", "val", 0, 2));
        Assert.Null(await shard.GetBankWork("bank-a"));

        var first = await shard.ClaimBankWork("bank-a", ["v1", "v2"]);
        var second = await shard.ClaimBankWork("bank-a", ["v1", "v2"]); // a worker that took over: computes again
        Assert.Equal((1, 2), (first.Computations, second.Computations));
        Assert.Null(second.Part);

        var stored = await shard.CompleteBankWork("bank-a", Part("aa"));
        var duplicate = await shard.CompleteBankWork("bank-a", Part("bb"));
        await fixture.Cluster.DeactivateAsync(shard);
        var third = await shard.ClaimBankWork("bank-a", ["v1", "v2"]);

        Assert.Equal("aa", stored.Blob.Sha256);
        Assert.Equal("aa", duplicate.Blob.Sha256); // the first part recorded stays
        Assert.Equal(2, third.Computations);       // not counted: nothing is computed
        Assert.Equal("aa", third.Part!.Blob.Sha256);
        Assert.Null(await shard.GetBankWork("bank-b"));
    }

    [Fact]
    public async Task ClaimsForOtherVideosAndCompletionsWithoutAClaimAreRefused()
    {
        var key = ShardKey.For("bank-ds", "val", 1, 2);
        var shard = fixture.Client.GetGrain<IDatasetShardGrain>(key);

        var unclaimed = await Assert.ThrowsAsync<InvalidOperationException>(() => shard.CompleteBankWork("bank-c", Part("cc")));
        await shard.ClaimBankWork("bank-c", ["v3"]);
        var other = await Assert.ThrowsAsync<InvalidOperationException>(() => shard.ClaimBankWork("bank-c", ["v3", "v4"]));

        Assert.Contains("without claiming", unclaimed.Message);
        Assert.Contains(key, other.Message);
    }
}
