using Cluster.Abstractions.Experiments;

namespace Cluster.Abstractions.Workers;

/// <summary>What an experiment hands a worker to train: its place in the group and where to resume from.</summary>
/// <param name="ArtifactPrefix">Key prefix in the artifact store for this run's files (e.g. <c>experiments/{id}/</c>).</param>
/// <param name="ResumeFrom">The last stored checkpoint; null starts from the config (load_from / scratch).</param>
/// <param name="Peers">The group's worker keys by rank (this worker's own at <c>Rank</c>); one entry for a single worker.</param>
[GenerateSerializer, Immutable]
public sealed record WorkerStart(
    [property: Id(0)] string ExperimentId,
    [property: Id(1)] int Generation,
    [property: Id(2)] int Rank,
    [property: Id(3)] int WorldSize,
    [property: Id(4)] ExperimentSpec Spec,
    [property: Id(5)] string ArtifactPrefix,
    [property: Id(6)] CheckpointRef? ResumeFrom,
    [property: Id(7)] IReadOnlyList<string> Peers);
