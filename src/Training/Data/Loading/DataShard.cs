namespace Cluster.Training.Data.Loading;

/// <summary>
/// The part of a dataset one loader reads: an optional subset of indices, split round-robin into
/// <see cref="WorldSize"/> shards of which this is <see cref="Rank"/> (MMEngine's DefaultSampler split).
/// </summary>
public sealed record DataShard(int WorldSize = 1, int Rank = 0, IReadOnlyList<int>? Indices = null)
{
    public static DataShard Whole { get; } = new();

    public void Validate(int datasetSize)
    {
        if (WorldSize < 1 || Rank < 0 || Rank >= WorldSize)
            throw new ArgumentException($"sampler: rank {Rank} is outside world_size {WorldSize}");
        if (Indices is null)
            return;
        if (Indices.Count == 0)
            throw new ArgumentException("sampler.indices is empty");
        var outside = Indices.FirstOrDefault(index => index < 0 || index >= datasetSize, -1);
        if (outside != -1)
            throw new ArgumentException($"sampler.indices: {outside} is outside the dataset (0..{datasetSize - 1})");
    }
}
