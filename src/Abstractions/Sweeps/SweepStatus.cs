using Cluster.Abstractions.Experiments;

namespace Cluster.Abstractions.Sweeps;

/// <summary>A snapshot of one sweep, as <c>cluster sweep status|watch|report</c> show it.</summary>
[GenerateSerializer, Immutable]
public sealed record SweepStatus
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public required SweepState State { get; init; }
    /// <summary>Why it ended (metric target reached, time budget spent, cancelled, ...).</summary>
    [Id(3)] public string? Reason { get; init; }
    /// <summary>The metric trials are ranked by (e.g. <c>acc/top1</c>) and whether higher is better.</summary>
    [Id(4)] public required string Metric { get; init; }
    [Id(5)] public required string Mode { get; init; }
    /// <summary><c>grid</c>, <c>random</c> or <c>tpe</c>.</summary>
    [Id(6)] public required string SearchAlgorithm { get; init; }
    /// <summary><c>fifo</c>, <c>asha</c> or <c>median_stopping</c>.</summary>
    [Id(7)] public required string Scheduler { get; init; }
    /// <summary>Trials the sweep samples at most (for grid: the grid size times num_samples).</summary>
    [Id(8)] public int PlannedTrials { get; init; }
    [Id(9)] public int MaxConcurrentTrials { get; init; }
    [Id(10)] public int WorkersPerTrial { get; init; }
    /// <summary>The base config's name, for a retrained experiment.</summary>
    [Id(11)] public required string ConfigName { get; init; }
    /// <summary>In trial index order.</summary>
    [Id(12)] public IReadOnlyList<TrialStatus> Trials { get; init; } = [];
    [Id(13)] public BestTrial? Best { get; init; }
    [Id(14)] public DateTimeOffset CreatedAt { get; init; }
    [Id(15)] public DateTimeOffset? EndedAt { get; init; }
    /// <summary>Search key path → its distribution's type (<c>uniform</c>, <c>loguniform</c>, <c>choice</c>, ...), so a
    /// report can draw a loguniform parameter on a log axis. Empty when not known.</summary>
    [Id(16)] public IReadOnlyDictionary<string, string> SearchSpace { get; init; } = new Dictionary<string, string>();
    /// <summary>The silo the sweep's grain is active on when the snapshot was taken (Orleans' parsable address), as
    /// <see cref="ExperimentStatus.GrainSilo"/>.</summary>
    [Id(17)] public string? GrainSilo { get; init; }
}

/// <summary>One trial. Its metric history is kept whatever its end (stopped, failed and retried trials too).</summary>
/// <param name="Id">The trial's id, <c>{sweep}-t{NNN}</c>; the first experiment has the same id.</param>
/// <param name="Parameters">Search key path → value as YAML scalar text (<c>TrialParameters.ToYamlText</c>: a float
/// keeps its '.', a string is double-quoted; <c>TrialParameters.FromYamlText</c> reads back the typed value).</param>
/// <param name="ExperimentId">The experiment running it now (a retry: <c>{Id}-r{k}</c>); null before it started.</param>
/// <param name="Failures">Failed attempts so far (retries are made up to max_failures).</param>
/// <param name="Epoch">The last epoch that reported a validation (0: none yet).</param>
/// <param name="Checkpoint">The best checkpoint of its experiment, once it ended.</param>
[GenerateSerializer, Immutable]
public sealed record TrialStatus(
    [property: Id(0)] string Id,
    [property: Id(1)] int Index,
    [property: Id(2)] IReadOnlyDictionary<string, string> Parameters,
    [property: Id(3)] TrialState State,
    [property: Id(4)] string? Reason,
    [property: Id(5)] string? ExperimentId,
    [property: Id(6)] int Failures,
    [property: Id(7)] int Epoch,
    [property: Id(8)] double? LastMetric,
    [property: Id(9)] double? BestMetric,
    [property: Id(10)] IReadOnlyList<MetricPoint> History,
    [property: Id(11)] CheckpointRef? Checkpoint,
    [property: Id(12)] DateTimeOffset? StartedAt,
    [property: Id(13)] DateTimeOffset? EndedAt);

/// <summary>The sweep's metric at the end of an epoch's validation.</summary>
[GenerateSerializer, Immutable]
public sealed record MetricPoint(
    [property: Id(0)] int Epoch,
    [property: Id(1)] double Value);

/// <summary>The best trial: of the finished ones (completed or early-stopped), the one whose last metric is best under
/// the sweep's mode (<c>SweepResults.Best</c>); <paramref name="Metric"/> and <paramref name="Epoch"/> are that last result.</summary>
/// <param name="Checkpoint">Its experiment's best checkpoint (else its last); null until its experiment ended or when
/// none was stored.</param>
[GenerateSerializer, Immutable]
public sealed record BestTrial(
    [property: Id(0)] string TrialId,
    [property: Id(1)] IReadOnlyDictionary<string, string> Parameters,
    [property: Id(2)] double Metric,
    [property: Id(3)] int Epoch,
    [property: Id(4)] string? ExperimentId,
    [property: Id(5)] CheckpointRef? Checkpoint);

/// <summary>
/// What a trial's experiment tells its sweep: a validation result (<paramref name="State"/> Running, the epoch's
/// <paramref name="Metrics"/>) or its end (a terminal state, with the reason it failed or was cancelled).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TrialReport(
    [property: Id(0)] string ExperimentId,
    [property: Id(1)] ExperimentState State,
    [property: Id(2)] int Epoch,
    [property: Id(3)] IReadOnlyDictionary<string, double> Metrics,
    [property: Id(4)] string? Reason);

/// <summary>One line of <c>cluster sweep list</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record SweepSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] SweepState State,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset? EndedAt,
    [property: Id(5)] int Trials,
    [property: Id(6)] int CompletedTrials,
    [property: Id(7)] int RunningTrials,
    [property: Id(8)] string Metric,
    [property: Id(9)] string? BestTrialId,
    [property: Id(10)] double? BestMetric);
