namespace Cluster.Abstractions.Lfb;

/// <summary>One shard of a bank split, handed to a worker slot (<c>IGpuWorkerGrain.ComputeBankShard</c>).</summary>
/// <param name="Attempt">Unique per hand-out within the bank: the worker reports it back, so a stale report is ignored.</param>
/// <param name="ShardKey">The DatasetShardGrain that records the shard's part.</param>
/// <param name="PartKey">Where the part goes in the artifact store.</param>
[GenerateSerializer, Immutable]
public sealed record BankShardWork(
    [property: Id(0)] string BankId,
    [property: Id(1)] string Split,
    [property: Id(2)] int Shard,
    [property: Id(3)] int Attempt,
    [property: Id(4)] string ShardKey,
    [property: Id(5)] string PartKey,
    [property: Id(6)] string Dtype,
    [property: Id(7)] string ConfigName,
    [property: Id(8)] string ConfigYaml,
    [property: Id(9)] IReadOnlyList<string> Videos)
{
    public string LeaseId => BankSplits.LeaseId(BankId);
}

/// <summary>A stored part of a bank: a shard's features, recorded by its DatasetShardGrain once uploaded.</summary>
/// <param name="Features">Person features (rows) in the part.</param>
/// <param name="Seconds">Time the worker spent computing it (not uploading).</param>
[GenerateSerializer, Immutable]
public sealed record BankPart(
    [property: Id(0)] BankBlob Blob,
    [property: Id(1)] long Features,
    [property: Id(2)] int Videos,
    [property: Id(3)] double Seconds,
    [property: Id(4)] string WorkerKey,
    [property: Id(5)] DateTimeOffset CompletedAt);

/// <summary>How far a dataset shard's bank work got for one bank: how often it was claimed (computed), and its part.</summary>
/// <param name="Computations">Claims that found no part and so computed the shard.</param>
[GenerateSerializer, Immutable]
public sealed record BankWorkRecord(
    [property: Id(0)] int Computations,
    [property: Id(1)] BankPart? Part,
    [property: Id(2)] IReadOnlyList<string> Videos);

[GenerateSerializer, Immutable]
public sealed record BankShardProgress(
    [property: Id(0)] string Split,
    [property: Id(1)] int Shard,
    [property: Id(2)] int Attempt,
    [property: Id(3)] long Features,
    [property: Id(4)] int Keyframes);

/// <summary>A shard ended on a worker: <paramref name="Part"/> when stored, else <paramref name="Error"/>.</summary>
/// <param name="Retryable">The failure was the environment's (storage, a stop), not the computation's.</param>
[GenerateSerializer, Immutable]
public sealed record BankShardOutcome(
    [property: Id(0)] string Split,
    [property: Id(1)] int Shard,
    [property: Id(2)] int Attempt,
    [property: Id(3)] string WorkerKey,
    [property: Id(4)] BankPart? Part,
    [property: Id(5)] string? Error,
    [property: Id(6)] bool Retryable = false);
