using Cluster.Abstractions.Lfb;

namespace Cluster.Grains.Lfb;

/// <summary>A bank grain's persisted state: its splits' jobs and the counter that makes shard attempts unique.</summary>
[GenerateSerializer]
public sealed class BankRecord
{
    [Id(0)] public string? ConfigName { get; set; }
    [Id(1)] public Dictionary<string, BankSplitJob> Splits { get; set; } = [];
    [Id(2)] public int Attempts { get; set; }

    public bool Exists => ConfigName is not null;
}

[GenerateSerializer]
public sealed class BankSplitJob
{
    [Id(0)] public BankRequest Request { get; set; } = null!;
    [Id(1)] public BankState State { get; set; }
    [Id(2)] public string? Reason { get; set; }
    [Id(3)] public DateTimeOffset CreatedAt { get; set; }
    [Id(4)] public DateTimeOffset? StartedAt { get; set; }
    [Id(5)] public DateTimeOffset? EndedAt { get; set; }
    [Id(6)] public BankBlob? Bank { get; set; }
    [Id(7)] public int Retries { get; set; }
    [Id(8)] public List<BankShardEntry> Shards { get; set; } = [];

    public bool IsActive => !State.IsTerminal();
}

/// <param name="Worker">The slot computing it now (null while pending or done).</param>
/// <param name="Attempt">The attempt number of its current or last hand-out.</param>
/// <param name="Attempts">How often it was handed out.</param>
/// <param name="Failures">Retryable failures so far (a non-retryable one fails the split at once).</param>
[GenerateSerializer]
public sealed class BankShardEntry
{
    [Id(0)] public int Index { get; set; }
    [Id(1)] public string Key { get; set; } = "";
    [Id(2)] public List<string> Videos { get; set; } = [];
    [Id(3)] public string? Worker { get; set; }
    [Id(4)] public int Attempt { get; set; }
    [Id(5)] public int Attempts { get; set; }
    [Id(6)] public int Failures { get; set; }
    [Id(7)] public BankPart? Part { get; set; }

    public bool IsDone => Part is not null;
    public bool IsPending => Part is null && Worker is null;
    public bool IsRunning => Part is null && Worker is not null;
}
