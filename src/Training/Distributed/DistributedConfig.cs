using Cluster.Training.Configs;

namespace Cluster.Training.Distributed;

/// <summary>
/// The top-level <c>distributed</c> section: how the workers of a data-parallel run talk. Ignored by a single worker.
/// </summary>
public sealed class DistributedConfig
{
    public const string Key = "distributed";
    private const long MiB = 1024 * 1024;

    /// <summary>The default <see cref="ChunkSizeMb"/>: what the silos' connection blocks are sized for.</summary>
    public const int DefaultChunkSizeMb = 4;

    /// <summary>auto: NCCL when every worker runs on CUDA, else the ring.</summary>
    public DistributedBackend Backend { get; init; } = DistributedBackend.Auto;
    /// <summary>Gradients are packed into flat buckets of at most this size, each all-reduced as one buffer.</summary>
    public double BucketSizeMb { get; init; } = 25;
    /// <summary>The largest message of the ring (a chunk of a bucket).</summary>
    public double ChunkSizeMb { get; init; } = DefaultChunkSizeMb;
    /// <summary>Seconds a collective waits for a peer before the group is declared faulty.</summary>
    public double CollectiveTimeout { get; init; } = 300;
    /// <summary>BatchNorm statistics over the global batch (SyncBN) instead of each worker's slice.</summary>
    public bool SyncBn { get; init; }
    /// <summary>Compare a hash of the parameters across workers at every epoch end.</summary>
    public bool CheckReplicas { get; init; } = true;

    public long BucketBytes => Floats(BucketSizeMb) * sizeof(float);
    public int ChunkBytes => (int)(Floats(ChunkSizeMb) * sizeof(float));
    public TimeSpan Timeout => TimeSpan.FromSeconds(CollectiveTimeout);

    private static long Floats(double megabytes) => (long)(megabytes * MiB) / sizeof(float);

    /// <summary>Range checks the binder cannot make; errors name the file and key.</summary>
    public void Validate(ConfigDocument document)
    {
        void Require(bool ok, string key, string problem)
        {
            if (!ok)
            {
                var path = $"{Key}.{key}";
                throw new ConfigException(document.FileOf(path), path, problem);
            }
        }
        Require(double.IsFinite(BucketSizeMb) && BucketSizeMb > 0 && BucketBytes >= sizeof(float) && BucketBytes <= int.MaxValue,
            "bucket_size_mb", $"must hold at least one float32 and at most 2 GiB, got {BucketSizeMb}");
        Require(double.IsFinite(ChunkSizeMb) && ChunkSizeMb > 0 && Floats(ChunkSizeMb) >= 2 && ChunkSizeMb <= 1024,
            "chunk_size_mb", $"must be between 8 bytes and 1024 MiB, got {ChunkSizeMb}");
        Require(double.IsFinite(CollectiveTimeout) && CollectiveTimeout > 0 && CollectiveTimeout <= TimeSpan.MaxValue.TotalSeconds / 2,
            "collective_timeout", $"must be a positive number of seconds, got {CollectiveTimeout}");
    }
}

public enum DistributedBackend
{
    Auto,
    Ring,
    Nccl,
}
