using TorchSharp;

namespace Cluster.Training.Data.Loading;

/// <summary>
/// MMEngine's <c>DefaultSampler</c>: per epoch a permutation from <c>torch.randperm</c> with a generator seeded by
/// seed + epoch (the same order PyTorch gives), padded by repetition to a multiple of the world size when
/// <c>round_up</c>, then every world_size-th index from rank.
/// </summary>
public sealed class DefaultSampler
{
    private readonly int[] pool;

    public DefaultSampler(int datasetSize, bool shuffle, int seed, bool roundUp, DataShard shard)
    {
        shard.Validate(datasetSize);
        pool = shard.Indices?.ToArray() ?? Enumerable.Range(0, datasetSize).ToArray();
        Shuffle = shuffle;
        Seed = seed;
        RoundUp = roundUp;
        Shard = shard;
        DatasetSize = datasetSize;
        int worldSize = shard.WorldSize;
        Count = roundUp
            ? (pool.Length + worldSize - 1) / worldSize
            : (pool.Length - shard.Rank + worldSize - 1) / worldSize;
    }

    /// <summary>Samples per epoch for this shard.</summary>
    public int Count { get; }

    public int DatasetSize { get; }
    public bool Shuffle { get; }
    public int Seed { get; }
    public bool RoundUp { get; }
    public DataShard Shard { get; }

    public int[] EpochIndices(int epoch)
    {
        var ordered = Shuffle ? Permute(epoch) : pool;
        int totalSize = RoundUp ? Count * Shard.WorldSize : ordered.Length;
        var padded = Enumerable.Range(0, totalSize).Select(i => ordered[i % ordered.Length]).ToArray();
        return Enumerable.Range(0, Count).Select(i => padded[Shard.Rank + i * Shard.WorldSize]).ToArray();
    }

    private int[] Permute(int epoch)
    {
        using var generator = new torch.Generator((ulong)(Seed + epoch));
        using var permutation = torch.randperm(pool.Length, generator: generator);
        return permutation.data<long>().Select(position => pool[position]).ToArray();
    }
}
