using Cluster.Abstractions.Collectives;
using Cluster.Abstractions.Lfb;
using Orleans.Concurrency;
namespace Cluster.Abstractions.Workers;

/// <summary>
/// One compute slot (a GPU, or a CPU slot of a CPU-only silo), keyed by <see cref="WorkerKey"/> and only ever
/// activated on the silo that owns the device. Runs the engine on its own thread; never blocks a grain turn.
/// </summary>
public interface IGpuWorkerGrain : IGrainWithStringKey
{
    /// <summary>Starts training and returns at once. A busy slot refuses a different experiment or generation.</summary>
    Task Start(WorkerStart start);

    /// <summary>
    /// Starts computing one shard of a feature bank on the slot's own thread and returns at once; the outcome goes to
    /// the bank grain. A busy slot refuses (a repeated call for the attempt it runs is a no-op).
    /// </summary>
    Task ComputeBankShard(BankShardWork work);

    /// <summary>Cancels the run of that experiment (any generation) if it is running here; returns once it stopped.</summary>
    Task Stop(string experimentId);

    /// <summary>
    /// A collective chunk for the run on this slot (buffered if that generation has not started here yet). Throws
    /// <see cref="StaleGenerationException"/> when the slot already runs a newer generation of that experiment.
    /// </summary>
    [AlwaysInterleave]
    Task Deliver(CollectiveMessage message);

    /// <summary>
    /// Runs this slot's rank of an all-reduce benchmark (float32 buffers of each size, on its own thread) and returns
    /// its timings; every rank of the group must be called at once. Refuses while the slot trains.
    /// </summary>
    [ResponseTimeout("01:00:00")]
    Task<AllReduceBenchmarkResult> BenchmarkAllReduce(AllReduceBenchmarkSpec spec);

    /// <summary>Heartbeat: what this slot is doing now (a bank shard shows as its bank's lease id and attempt).</summary>
    [AlwaysInterleave]
    Task<WorkerStatus> GetStatus();
}

[GenerateSerializer, Immutable]
public sealed record WorkerStatus(
    [property: Id(0)] string WorkerKey,
    [property: Id(1)] string Silo,
    [property: Id(2)] string Device,
    [property: Id(3)] string? ExperimentId,
    [property: Id(4)] int Generation,
    [property: Id(5)] bool Busy,
    [property: Id(6)] DateTimeOffset At);
