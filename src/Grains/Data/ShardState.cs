using Cluster.Abstractions.Data;
using Cluster.Abstractions.Lfb;

namespace Cluster.Grains.Data;

/// <summary>
/// A shard grain's persisted state: the split's size it was first read with, each experiment's position, and each
/// feature bank's work on it.
/// </summary>
[GenerateSerializer]
public sealed class ShardState
{
    [Id(0)] public int? DatasetSize { get; set; }
    [Id(1)] public Dictionary<string, ShardConsumption> Consumption { get; set; } = [];
    [Id(2)] public Dictionary<string, BankWorkRecord> Banks { get; set; } = [];
}
