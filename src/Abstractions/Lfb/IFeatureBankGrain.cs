using Orleans.Concurrency;

namespace Cluster.Abstractions.Lfb;

/// <summary>
/// One long-term feature bank (keyed by bank id; its blobs live under <c>banks/{id}/</c>), computed per split on the
/// cluster: the split's videos are cut into dataset shards, each shard is computed on a free worker slot and uploaded
/// as a part (<c>banks/{id}/parts/{split}/{shard}.bank</c>), and once every part exists they are merged into
/// <c>banks/{id}/lfb_{split}.bank</c>. A shard recorded as done is never computed again (crash, failover, retry).
/// </summary>
public interface IFeatureBankGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts computing a split. Asking again for a split that is pending, running or completed with the same config
    /// and dtype returns its status (nothing restarts); a failed or cancelled split starts again, keeping the shards it
    /// finished. A different config or dtype for a split already asked for is refused.
    /// </summary>
    /// <exception cref="BankRejectedException">Bad request or a conflict with what the bank holds; nothing was stored.</exception>
    Task<BankStatus> Compute(BankRequest request);

    /// <exception cref="UnknownBankException">Nothing was ever asked of this bank.</exception>
    Task<BankStatus> GetStatus();

    /// <summary>Cancels every split still pending, running or merging; their workers are stopped.</summary>
    /// <exception cref="UnknownBankException">Nothing was ever asked of this bank.</exception>
    Task<BankStatus> Cancel(string reason);

    /// <summary>A worker's live count of features computed in its current shard (best effort; may be lost).</summary>
    [AlwaysInterleave, OneWay]
    Task ShardProgress(BankShardProgress progress);

    /// <summary>A worker ended a shard: with its stored part, or with an error.</summary>
    Task ShardEnded(BankShardOutcome outcome);
}

/// <summary>The index <c>cluster lfb list</c> reads (key 0), kept by each bank grain.</summary>
public interface IFeatureBankIndexGrain : IGrainWithIntegerKey
{
    Task Track(BankSummary summary);

    Task<IReadOnlyList<BankSummary>> List();
}
