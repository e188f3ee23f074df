using Cluster.Training.Engine;

namespace Cluster.Training.Hooks;

/// <summary>The run as hooks see it (MMEngine's runner, train loop and message hub in one).</summary>
public sealed class TrainingContext(int maxEpochs, int itersPerEpoch, string workDir,
    Func<TrainingContext, string, bool, string> saveCheckpoint, Action<string> deleteCheckpoint, Action<TrainingEvent> emit)
{
    public int MaxEpochs { get; } = maxEpochs;
    public int ItersPerEpoch { get; } = itersPerEpoch;
    public long MaxIters => (long)MaxEpochs * ItersPerEpoch;
    public string WorkDir { get; } = workDir;

    public int CompletedEpochs { get; internal set; }
    public long CompletedIters { get; internal set; }

    /// <summary>The iteration that just finished (valid in <see cref="ITrainingHook.AfterTrainIter"/>).</summary>
    public IterationStats LastIteration { get; internal set; }

    /// <summary>Persisted in checkpoints' <c>meta</c> and restored on resume.</summary>
    public Dictionary<string, object?> RuntimeInfo { get; } = new();

    public bool StopTraining { get; private set; }
    public string? StopReason { get; private set; }

    public bool IsLastTrainEpoch => CompletedEpochs == MaxEpochs;
    public bool IsLastTrainIter => CompletedIters == MaxIters;

    /// <summary>Ends the run after the current epoch (MMEngine's <c>train_loop.stop_training = True</c>).</summary>
    public void RequestStop(string reason)
    {
        StopTraining = true;
        StopReason = reason;
        Emit(new TrainingMessage(reason));
    }

    /// <summary>Writes a checkpoint of the current state to <paramref name="path"/>; a <paramref name="best"/>
    /// checkpoint holds weights and meta only (no optimizer or scheduler state), as MMEngine's. Returns the path.</summary>
    public string SaveCheckpoint(string path, bool best = false) => saveCheckpoint(this, path, best);

    public void DeleteCheckpoint(string path) => deleteCheckpoint(path);

    public void Emit(TrainingEvent trainingEvent) => emit(trainingEvent);
}

/// <summary>One training iteration as the loop measured it.</summary>
/// <param name="DataSeconds">Waiting for the batch.</param>
/// <param name="ComputeSeconds">Forward, backward and step (including the loss read-back).</param>
public readonly record struct IterationStats(double Loss, double LearningRate, double? GradNorm, int BatchSize,
    double DataSeconds, double ComputeSeconds);
