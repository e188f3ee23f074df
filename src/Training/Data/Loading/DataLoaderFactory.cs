using Cluster.Training.Data.Preprocessing;

namespace Cluster.Training.Data.Loading;

/// <summary>Builds a <see cref="DataLoader"/> from its config section.</summary>
public static class DataLoaderFactory
{
    /// <param name="config">The dataloader section (dataset, pipeline, sampler, batch size, workers).</param>
    /// <param name="seed">The run's seed: sampler shuffle (unless the sampler names its own) and per-sample randomness.</param>
    /// <param name="preprocessor">The model's data_preprocessor; null casts to float32 without normalising.</param>
    /// <param name="shard">Overrides the sampler's world_size/rank/indices (the cluster's split of the data).</param>
    /// <param name="order">Decides each epoch's order instead of the sampler (it sees the sampler for its settings).</param>
    public static DataLoader Build(
        DataLoaderConfig config, int seed, ActionDataPreprocessorConfig? preprocessor = null, DataShard? shard = null,
        IEpochOrderProvider? order = null)
    {
        if (config.Sampler is not DefaultSamplerConfig samplerConfig)
            throw new ArgumentException($"sampler: {config.Sampler.GetType().Name} is not supported (DefaultSampler only)");
        var dataset = config.Dataset.Build();
        var sampler = new DefaultSampler(
            dataset.Count,
            samplerConfig.Shuffle,
            samplerConfig.Seed ?? seed,
            samplerConfig.RoundUp,
            shard ?? new DataShard(samplerConfig.WorldSize, samplerConfig.Rank, samplerConfig.Indices));
        var collator = new BatchCollator(
            preprocessor is null ? ActionDataPreprocessor.CastOnly : new ActionDataPreprocessor(preprocessor),
            dataset.IsMultiLabel,
            dataset.NumClasses ?? 0);
        return new DataLoader(dataset, sampler, collator, config.BatchSize, config.NumWorkers, config.PrefetchFactor,
            config.DropLast, seed, order);
    }

    /// <summary>Same, with the data_preprocessor as a raw config tree (keys mean, std, format_shape, ...).</summary>
    public static DataLoader Build(
        DataLoaderConfig config, int seed, IReadOnlyDictionary<string, object?>? dataPreprocessor, DataShard? shard = null,
        IEpochOrderProvider? order = null) =>
        Build(config, seed, dataPreprocessor is null ? null : ActionDataPreprocessorConfig.FromDictionary(dataPreprocessor), shard, order);
}
