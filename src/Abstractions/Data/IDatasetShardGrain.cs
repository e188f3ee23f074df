namespace Cluster.Abstractions.Data;

/// <summary>
/// One shard of a dataset split, keyed by <see cref="ShardKey"/>. Hands out the deterministic per-(seed, epoch) sample
/// order of its shard and records how far each experiment has consumed it, committed with checkpoints, so a restarted
/// run neither skips nor repeats samples. (Later: the unit of feature-bank work.)
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
