namespace Cluster.Training.Hooks;

/// <summary>
/// MMEngine's Hook points used by the epoch-based loop. Hooks run in list order (the runner orders the built-in ones
/// by MMEngine priority: logger, param scheduler, checkpoint, early stopping, then custom hooks). State that must
/// survive a resume goes into <see cref="TrainingContext.RuntimeInfo"/>.
/// </summary>
public interface ITrainingHook
{
    /// <summary>After the optional resume, before the first iteration.</summary>
    void BeforeRun(TrainingContext context) { }

    /// <summary>After each training iteration; <see cref="TrainingContext.CompletedIters"/> includes it.</summary>
    void AfterTrainIter(TrainingContext context) { }

    /// <summary>After each training epoch; <see cref="TrainingContext.CompletedEpochs"/> includes it.</summary>
    void AfterTrainEpoch(TrainingContext context) { }

    void AfterValEpoch(TrainingContext context, IReadOnlyDictionary<string, double> metrics) { }
}
