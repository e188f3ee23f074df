namespace Cluster.Training.Engine;

/// <summary>Progress of a run, for a console or a cluster to forward. Epochs and iterations are 1-based.</summary>
public abstract record TrainingEvent;

/// <summary>Every logger interval and at the end of each epoch: means over the iterations since the last report.</summary>
/// <param name="ClipsPerSecond">Samples per second over data loading plus compute.</param>
public sealed record IterationProgress(int Epoch, int MaxEpochs, int Iteration, int ItersPerEpoch, long GlobalIteration,
    long MaxIterations, double Loss, double LearningRate, double? GradNorm, double ClipsPerSecond,
    double DataTimeSeconds, double IterationTimeSeconds, TimeSpan Eta) : TrainingEvent;

public sealed record EpochCompleted(int Epoch, int MaxEpochs, double MeanLoss, double LearningRate, TimeSpan Duration)
    : TrainingEvent;

public sealed record ValidationCompleted(int Epoch, long Iteration, IReadOnlyDictionary<string, double> Metrics)
    : TrainingEvent;

/// <param name="ItersPerEpoch">The run's iterations per epoch (0: not known); a resume with another world size needs it.</param>
public sealed record CheckpointSaved(string Path, int Epoch, long Iteration, bool IsBest, int ItersPerEpoch = 0) : TrainingEvent;

/// <summary>Informational lines: lr scaling, resume, early stopping decisions, skipped monitors.</summary>
public sealed record TrainingMessage(string Text) : TrainingEvent;

public sealed record TrainingFinished(TrainingResult Result) : TrainingEvent;

public enum TrainingStatus
{
    Completed,
    EarlyStopped,
    Cancelled,
}

/// <param name="EpochsRun">Completed epochs, counting those before a resume.</param>
/// <param name="Metrics">The last validation metrics (empty without validation).</param>
public sealed record TrainingResult(TrainingStatus Status, int EpochsRun, long IterationsRun,
    IReadOnlyDictionary<string, double> Metrics, string? BestCheckpoint, double? BestScore, string? StopReason);
