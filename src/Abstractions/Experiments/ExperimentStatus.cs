namespace Cluster.Abstractions.Experiments;

/// <summary>A snapshot of one experiment, as <c>cluster status</c> and <c>cluster watch</c> show it.</summary>
[GenerateSerializer, Immutable]
public sealed record ExperimentStatus
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required ExperimentState State { get; init; }
    /// <summary>Why it failed or was cancelled, or what it waits for while Pending.</summary>
    [Id(2)] public string? Reason { get; init; }
    [Id(3)] public required string ConfigName { get; init; }
    /// <summary>The most workers the group takes (<c>workers</c> / <c>max_workers</c>).</summary>
    [Id(4)] public int RequestedWorkers { get; init; }
    /// <summary>The fewest workers the group trains with (<c>min_workers</c>); below it the run waits.</summary>
    [Id(18)] public int MinWorkers { get; init; }
    [Id(5)] public IReadOnlyList<WorkerAssignment> Workers { get; init; } = [];
    /// <summary>Bumped every time the worker group is (re)formed; reports of older generations are ignored.</summary>
    [Id(6)] public int Generation { get; init; }
    [Id(7)] public LiveProgress? Progress { get; init; }
    [Id(8)] public IReadOnlyList<EpochRecord> History { get; init; } = [];
    /// <summary>The last validation metrics.</summary>
    [Id(9)] public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
    [Id(10)] public BestMetric? Best { get; init; }
    [Id(11)] public IReadOnlyList<CheckpointRef> Checkpoints { get; init; } = [];
    [Id(12)] public DateTimeOffset CreatedAt { get; init; }
    [Id(13)] public DateTimeOffset? StartedAt { get; init; }
    [Id(14)] public DateTimeOffset? EndedAt { get; init; }
    /// <summary>Where the run's checkpoints, merged config and metrics live (a folder path or a blob container URI).</summary>
    [Id(15)] public string? ArtifactsLocation { get; init; }
    /// <summary>How often the run was restarted from a checkpoint after losing a worker or its grain's silo.</summary>
    [Id(16)] public int Restarts { get; init; }
    /// <summary>The silo the experiment's grain is active on when the snapshot was taken (Orleans' parsable address).</summary>
    [Id(17)] public string? GrainSilo { get; init; }
}

/// <summary>One compute slot of the group: which worker grain, on which silo, on which device.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkerAssignment(
    [property: Id(0)] string WorkerKey,
    [property: Id(1)] string Silo,
    [property: Id(2)] string Device,
    [property: Id(3)] int Rank);

/// <summary>The latest iteration report (means since the previous one).</summary>
[GenerateSerializer, Immutable]
public sealed record LiveProgress(
    [property: Id(0)] int Epoch,
    [property: Id(1)] int MaxEpochs,
    [property: Id(2)] int Iteration,
    [property: Id(3)] int ItersPerEpoch,
    [property: Id(4)] long GlobalIteration,
    [property: Id(5)] long MaxIterations,
    [property: Id(6)] double Loss,
    [property: Id(7)] double LearningRate,
    [property: Id(8)] double ClipsPerSecond,
    [property: Id(9)] TimeSpan Eta,
    [property: Id(10)] DateTimeOffset At);

/// <summary>One finished epoch: train loss and lr, plus the validation metrics of that epoch if it validated.</summary>
[GenerateSerializer, Immutable]
public sealed record EpochRecord(
    [property: Id(0)] int Epoch,
    [property: Id(1)] double MeanLoss,
    [property: Id(2)] double LearningRate,
    [property: Id(3)] TimeSpan Duration,
    [property: Id(4)] IReadOnlyDictionary<string, double> Metrics);

[GenerateSerializer, Immutable]
public sealed record BestMetric(
    [property: Id(0)] string Name,
    [property: Id(1)] double Value,
    [property: Id(2)] int Epoch);

/// <summary>A checkpoint in the artifact store: its key and URI, SHA-256 of the bytes, size and training position.</summary>
/// <param name="ItersPerEpoch">Iterations per epoch of the run that wrote it (0: not known); a group of another world size
/// resuming from it recounts its position in epochs.</param>
[GenerateSerializer, Immutable]
public sealed record CheckpointRef(
    [property: Id(6)] string Key,
    [property: Id(0)] string Uri,
    [property: Id(1)] string Sha256,
    [property: Id(2)] long Bytes,
    [property: Id(3)] int Epoch,
    [property: Id(4)] long Iteration,
    [property: Id(5)] bool IsBest,
    [property: Id(7)] int ItersPerEpoch = 0);
