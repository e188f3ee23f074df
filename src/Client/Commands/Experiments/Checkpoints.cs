using Cluster.Abstractions.Experiments;

namespace Cluster.Client.Commands.Experiments;

/// <summary>Which of a run's stored checkpoints to point people at.</summary>
internal static class Checkpoints
{
    public static CheckpointRef? Best(ExperimentStatus status) =>
        status.Checkpoints.Where(c => c.IsBest).MaxBy(c => c.Iteration);

    /// <summary>The newest regular checkpoint (a resume point), else the newest of any kind.</summary>
    public static CheckpointRef? Latest(ExperimentStatus status) =>
        status.Checkpoints.Where(c => !c.IsBest).MaxBy(c => c.Iteration) ?? status.Checkpoints.MaxBy(c => c.Iteration);
}
