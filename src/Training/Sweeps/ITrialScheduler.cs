namespace Cluster.Training.Sweeps;

/// <summary>What a scheduler says about a running trial after one of its results.</summary>
public enum TrialDecision
{
    /// <summary>Keep training.</summary>
    Continue,

    /// <summary>Stop it early: its metric is not promising (the trial ends as Stopped).</summary>
    Stop,

    /// <summary>It has used the scheduler's whole budget (ASHA's max_t): end it as Completed (when max_t is
    /// train_cfg.max_epochs the trial is ending by itself anyway).</summary>
    Complete,
}

/// <summary>
/// Early stopping. A scheduler's state is exactly what its calls fed it: a fresh scheduler given the same
/// <see cref="OnResult"/>/<see cref="OnComplete"/> calls in the same order makes the same decisions, so a sweep that
/// restarts rebuilds it by replaying its recorded results.
/// </summary>
public interface ITrialScheduler
{
    /// <summary>A validation result of a running trial.</summary>
    /// <param name="time">Epochs trained so far (the engine's validation epoch, 1-based).</param>
    /// <param name="metric">The sweep's metric at that time (NaN when missing).</param>
    TrialDecision OnResult(string trialId, int time, double metric);

    /// <summary>The trial ended (completed, stopped, failed or cancelled); its results stay counted.</summary>
    void OnComplete(string trialId);
}
