using Cluster.Abstractions.Experiments;

namespace Cluster.Abstractions.Workers;

/// <summary>A batch of events from one worker of one generation, sent to its ExperimentGrain.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkerReport(
    [property: Id(0)] string ExperimentId,
    [property: Id(1)] int Generation,
    [property: Id(2)] string WorkerKey,
    [property: Id(3)] IReadOnlyList<WorkerEvent> Events);

[GenerateSerializer, Immutable]
public abstract record WorkerEvent;

[GenerateSerializer, Immutable]
public sealed record ProgressReported([property: Id(0)] LiveProgress Progress) : WorkerEvent;

/// <summary>An epoch finished training (its validation, if any, follows as <see cref="ValidationReported"/>).</summary>
[GenerateSerializer, Immutable]
public sealed record EpochReported([property: Id(0)] EpochRecord Epoch) : WorkerEvent;

[GenerateSerializer, Immutable]
public sealed record ValidationReported(
    [property: Id(0)] int Epoch,
    [property: Id(1)] IReadOnlyDictionary<string, double> Metrics) : WorkerEvent;

/// <summary>A checkpoint is stored (uploaded and verified); a resume may start from it.</summary>
[GenerateSerializer, Immutable]
public sealed record CheckpointReported([property: Id(0)] CheckpointRef Checkpoint) : WorkerEvent;

/// <summary>A stored checkpoint was deleted (max_keep_ckpts, a superseded best); the experiment drops its ref.</summary>
[GenerateSerializer, Immutable]
public sealed record CheckpointDeleted([property: Id(0)] string Key) : WorkerEvent;

[GenerateSerializer, Immutable]
public sealed record LogReported([property: Id(0)] DateTimeOffset At, [property: Id(1)] string Line) : WorkerEvent;

/// <summary>The run ended normally: completed, early-stopped or cancelled.</summary>
[GenerateSerializer, Immutable]
public sealed record RunFinished(
    [property: Id(0)] string Status,
    [property: Id(1)] int EpochsRun,
    [property: Id(2)] IReadOnlyDictionary<string, double> Metrics,
    [property: Id(3)] string? StopReason) : WorkerEvent;

/// <summary>
/// The run threw. Not <paramref name="Retryable"/> (bad data, NaN loss, diverged replicas): the experiment fails with
/// this message. Retryable (a peer died or hung, a collective timed out): the experiment re-forms its group and resumes.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RunFailed([property: Id(0)] string Error, [property: Id(1)] bool Retryable = false) : WorkerEvent;
