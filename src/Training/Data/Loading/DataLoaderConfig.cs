using Cluster.Training.Data.Datasets;

namespace Cluster.Training.Data.Loading;

/// <summary>A <c>train_dataloader</c> / <c>val_dataloader</c> / <c>test_dataloader</c> section.</summary>
public sealed class DataLoaderConfig
{
    public int BatchSize { get; init; } = 1;

    /// <summary>Loader threads; 0 still loads off the caller's thread (on one thread).</summary>
    public int NumWorkers { get; init; }

    /// <summary>Accepted; loader threads live for one epoch's enumeration, which costs nothing noticeable.</summary>
    public bool PersistentWorkers { get; init; }

    /// <summary>Ready batches queued ahead per worker (PyTorch's default 2).</summary>
    public int PrefetchFactor { get; init; } = 2;

    public bool DropLast { get; init; }
    public SamplerConfig Sampler { get; init; } = new DefaultSamplerConfig();
    public required DatasetConfig Dataset { get; init; }
}
