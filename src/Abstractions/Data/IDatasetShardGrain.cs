using Cluster.Abstractions.Lfb;

namespace Cluster.Abstractions.Data;

/// <summary>
/// One shard of a dataset split, keyed by <see cref="ShardKey"/>. Hands out the deterministic per-(seed, epoch) sample
/// order of its shard and records how far each experiment has consumed it, committed with checkpoints, so a restarted
/// run neither skips nor repeats samples. Also the unit of feature-bank work: per bank, the part its videos' features
/// were stored in, so a finished shard is never computed again.
/// </summary>
public interface IDatasetShardGrain : IGrainWithStringKey
{
    /// <summary>The dataset indices this shard reads in <paramref name="request"/>'s epoch, in order.</summary>
    Task<int[]> GetEpochOrder(ShardOrderRequest request);

    /// <summary>
    /// Records that <paramref name="experimentId"/> consumed <paramref name="samples"/> samples of epoch
    /// <paramref name="epoch"/> (1-based) and stored them in a checkpoint. Positions never go backwards.
    /// </summary>
    Task CommitConsumption(string experimentId, int epoch, int samples);

    /// <summary>The committed position of an experiment, or null if it has consumed nothing yet.</summary>
    Task<ShardConsumption?> GetConsumption(string experimentId);

    /// <summary>
    /// A worker is about to compute this shard's <paramref name="videos"/> for bank <paramref name="bankId"/>. When the
    /// shard already has a part, that record comes back and nothing is to be computed; otherwise the claim is counted
    /// (<see cref="BankWorkRecord.Computations"/>) and the record comes back without a part. The videos must be the same
    /// on every claim of a bank.
    /// </summary>
    Task<BankWorkRecord> ClaimBankWork(string bankId, IReadOnlyList<string> videos);

    /// <summary>Records the shard's stored part for the bank (persisted before it returns). The first part recorded stays.</summary>
    Task<BankPart> CompleteBankWork(string bankId, BankPart part);

    /// <summary>The shard's bank work so far, or null if no worker ever claimed it for that bank.</summary>
    Task<BankWorkRecord?> GetBankWork(string bankId);
}

/// <param name="DatasetSize">Samples in the whole split (the grain checks it never changes under a key).</param>
/// <param name="Shuffle">DefaultSampler's shuffle.</param>
/// <param name="Seed">The sampler's seed (the run's seed unless the sampler names one).</param>
/// <param name="Epoch">0-based, as MMEngine's sampler.set_epoch.</param>
[GenerateSerializer, Immutable]
public sealed record ShardOrderRequest(
    [property: Id(0)] int DatasetSize,
    [property: Id(1)] bool Shuffle,
    [property: Id(2)] int Seed,
    [property: Id(3)] int Epoch,
    [property: Id(4)] bool RoundUp = true);

[GenerateSerializer, Immutable]
public sealed record ShardConsumption(
    [property: Id(0)] int Epoch,
    [property: Id(1)] int Samples);

/// <summary>
/// <c>{dataset}/{split}/{index}-of-{count}</c>; the dataset part is a stable hash of the annotation file and data
/// prefix, so two configs reading the same data share shard grains.
/// </summary>
public static class ShardKey
{
    public static string For(string dataset, string split, int index, int count) => $"{dataset}/{split}/{index}-of-{count}";

    public static (string Dataset, string Split, int Index, int Count) Parse(string key)
    {
        var parts = key.Split('/');
        var shard = parts.Length == 3 ? parts[2].Split("-of-") : [];
        if (shard.Length != 2 || !int.TryParse(shard[0], out int index) || !int.TryParse(shard[1], out int count)
            || count < 1 || index < 0 || index >= count)
            throw new FormatException($"shard key '{key}' is not '<dataset>/<split>/<index>-of-<count>'");
        return (parts[0], parts[1], index, count);
    }
}
