using Cluster.Training.Configs;

namespace Cluster.Training.Data.Loading;

/// <summary>A <c>sampler:</c> section.</summary>
public abstract class SamplerConfig;

/// <summary>MMEngine's <c>DefaultSampler</c>, plus our sharding keys.</summary>
[ConfigType("DefaultSampler")]
public sealed class DefaultSamplerConfig : SamplerConfig
{
    public bool Shuffle { get; init; } = true;

    /// <summary>Shuffle seed; null uses the run's seed.</summary>
    public int? Seed { get; init; }

    public bool RoundUp { get; init; } = true;

    /// <summary>Our addition: number of shards the data is split into (MMEngine takes it from the process group).</summary>
    public int WorldSize { get; init; } = 1;

    /// <summary>Our addition: which shard this loader reads.</summary>
    public int Rank { get; init; }

    /// <summary>Our addition: restrict the sampler to these dataset indices (before sharding).</summary>
    public List<int>? Indices { get; init; }
}
