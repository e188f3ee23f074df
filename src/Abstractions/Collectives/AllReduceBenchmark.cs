namespace Cluster.Abstractions.Collectives;

/// <summary>
/// One rank's part of an all-reduce benchmark: every rank of the group gets the same spec except <see cref="Rank"/>,
/// and all run the same all-reduces (float32 buffers of each size) at once.
/// </summary>
/// <param name="GroupId">A name for the group's messages (e.g. <c>bench-…</c>); no experiment of that id may train on the slots.</param>
/// <param name="Generation">The group's generation (messages of another generation are not matched).</param>
/// <param name="Peers">The worker keys of the group by rank.</param>
/// <param name="SizesBytes">Buffer sizes to reduce, in bytes (rounded down to whole float32 elements).</param>
/// <param name="Iterations">Timed all-reduces per size.</param>
/// <param name="Warmup">Untimed all-reduces per size before the timed ones.</param>
/// <param name="Backend"><c>auto</c>, <c>ring</c> or <c>nccl</c>, as <c>distributed.backend</c>.</param>
/// <param name="ChunkSizeMiB">The ring's chunk size, as <c>distributed.chunk_size_mb</c> (0: the default).</param>
/// <param name="TimeoutSeconds">How long one collective may wait for a peer.</param>
[GenerateSerializer, Immutable]
public sealed record AllReduceBenchmarkSpec(
    [property: Id(0)] string GroupId,
    [property: Id(1)] int Generation,
    [property: Id(2)] IReadOnlyList<string> Peers,
    [property: Id(3)] int Rank,
    [property: Id(4)] IReadOnlyList<long> SizesBytes,
    [property: Id(5)] int Iterations,
    [property: Id(6)] int Warmup,
    [property: Id(7)] string Backend = "ring",
    [property: Id(8)] double ChunkSizeMiB = 0,
    [property: Id(9)] double TimeoutSeconds = 60);

/// <summary>What one rank measured: the mean time of an all-reduce per size, and the group's description.</summary>
[GenerateSerializer, Immutable]
public sealed record AllReduceBenchmarkResult(
    [property: Id(0)] int Rank,
    [property: Id(1)] string Describe,
    [property: Id(2)] IReadOnlyList<AllReduceTiming> Timings);

/// <param name="Bytes">The buffer reduced (whole float32 elements).</param>
/// <param name="MeanSeconds">Mean wall time of one all-reduce on this rank.</param>
/// <param name="MinSeconds">The fastest one.</param>
/// <param name="Checked">The reduced values equalled the exact sum over ranks (each rank contributes rank + 1).</param>
[GenerateSerializer, Immutable]
public sealed record AllReduceTiming(
    [property: Id(0)] long Bytes,
    [property: Id(1)] double MeanSeconds,
    [property: Id(2)] double MinSeconds,
    [property: Id(3)] bool Checked);

/// <summary>
/// A slot's buffer for messages of a group generation it has not started yet is full: that generation never started
/// there in time. The sender's group is broken (retryable).
/// </summary>
[GenerateSerializer]
public sealed class CollectiveBufferFullException(string message) : Exception(message);
