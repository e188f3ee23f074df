namespace Cluster.Abstractions.Lfb;

public enum BankState
{
    Pending,
    Running,
    Merging,
    Completed,
    Failed,
    Cancelled,
}

public static class BankStateExtensions
{
    public static bool IsTerminal(this BankState state) => state is BankState.Completed or BankState.Failed or BankState.Cancelled;
}

[GenerateSerializer, Immutable]
public sealed record BankStatus(
    [property: Id(0)] string Id,
    [property: Id(1)] string ConfigName,
    [property: Id(2)] IReadOnlyList<BankSplitStatus> Splits,
    [property: Id(3)] string? GrainSilo = null)
{
    public BankSplitStatus? Split(string split) => Splits.FirstOrDefault(s => s.Split == split);
}

/// <param name="Features">Person features computed so far: finished shards' plus the running shards' live counts.</param>
/// <param name="FeaturesPerSecond">Features over the wall time since the split started (until it ended).</param>
/// <param name="Retries">Shards handed out again (a lost worker, a retryable failure).</param>
/// <param name="Bank">The merged bank, once completed.</param>
[GenerateSerializer, Immutable]
public sealed record BankSplitStatus(
    [property: Id(0)] string Split,
    [property: Id(1)] BankState State,
    [property: Id(2)] string? Reason,
    [property: Id(3)] string Dtype,
    [property: Id(4)] int ShardsDone,
    [property: Id(5)] int ShardsTotal,
    [property: Id(6)] long Features,
    [property: Id(7)] double FeaturesPerSecond,
    [property: Id(8)] int Retries,
    [property: Id(9)] BankBlob? Bank,
    [property: Id(10)] DateTimeOffset CreatedAt,
    [property: Id(11)] DateTimeOffset? StartedAt,
    [property: Id(12)] DateTimeOffset? EndedAt,
    [property: Id(13)] IReadOnlyList<BankShardView> Shards);

/// <param name="State"><c>pending</c>, <c>running</c> or <c>done</c>.</param>
/// <param name="Worker">The slot computing it (running) or that computed it (done).</param>
/// <param name="Attempts">Times it was handed to a worker.</param>
[GenerateSerializer, Immutable]
public sealed record BankShardView(
    [property: Id(0)] int Index,
    [property: Id(1)] string Key,
    [property: Id(2)] int Videos,
    [property: Id(3)] string State,
    [property: Id(4)] string? Worker,
    [property: Id(5)] long Features,
    [property: Id(6)] int Attempts);

/// <summary>A stored blob of the bank (a merged split or a part), with what identifies its bytes.</summary>
[GenerateSerializer, Immutable]
public sealed record BankBlob(
    [property: Id(0)] string Key,
    [property: Id(1)] string Uri,
    [property: Id(2)] long Bytes,
    [property: Id(3)] string Sha256);

[GenerateSerializer, Immutable]
public sealed record BankSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string ConfigName,
    [property: Id(2)] string Split,
    [property: Id(3)] BankState State,
    [property: Id(4)] int ShardsDone,
    [property: Id(5)] int ShardsTotal,
    [property: Id(6)] long Features,
    [property: Id(7)] string Dtype,
    [property: Id(8)] DateTimeOffset CreatedAt,
    [property: Id(9)] DateTimeOffset? EndedAt,
    [property: Id(10)] string? BankUri);
