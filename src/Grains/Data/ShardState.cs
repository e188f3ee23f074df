using Cluster.Abstractions.Data;

namespace Cluster.Grains.Data;

/// <summary>A shard grain's persisted state: the split's size it was first read with, and each experiment's position.</summary>
[GenerateSerializer]
public sealed class ShardState
{
    [Id(0)] public int? DatasetSize { get; set; }
    [Id(1)] public Dictionary<string, ShardConsumption> Consumption { get; set; } = [];
}
