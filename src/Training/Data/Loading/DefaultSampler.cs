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
    private readonly bool shuffle;
    private readonly int seed;
    private readonly bool roundUp;
    private readonly DataShard shard;

    public DefaultSampler(int datasetSize, bool shuffle, int seed, bool roundUp, DataShard shard)
    {
        shard.Validate(datasetSize);
        pool = shard.Indices?.ToArray() ?? Enumerable.Range(0, datasetSize).ToArray();
        this.shuffle = shuffle;
        this.seed = seed;
        this.roundUp = roundUp;
        this.shard = shard;
        DatasetSize = datasetSize;
        int worldSize = shard.WorldSize;
        Count = roundUp
            ? (pool.Length + worldSize - 1) / worldSize
            : (pool.Length - shard.Rank + worldSize - 1) / worldSize;
    }

    /// <summary>Samples per epoch for this shard.</summary>
    public int Count { get; }

    public int DatasetSize { get; }
    public bool Shuffle => shuffle;
    public int Seed => seed;
    public bool RoundUp => roundUp;
    public DataShard Shard => shard;

    public int[] EpochIndices(int epoch)
    {
        var ordered = shuffle ? Permute(epoch) : pool;
        int totalSize = roundUp ? Count * shard.WorldSize : ordered.Length;
        var padded = Enumerable.Range(0, totalSize).Select(i => ordered[i % ordered.Length]).ToArray();
        return Enumerable.Range(0, Count).Select(i => padded[shard.Rank + i * shard.WorldSize]).ToArray();
    }

    private int[] Permute(int epoch)
    {
        using var generator = new torch.Generator((ulong)(seed + epoch));
        using var permutation = torch.randperm(pool.Length, generator: generator);
        return permutation.data<long>().Select(position => pool[position]).ToArray();
    }
}
