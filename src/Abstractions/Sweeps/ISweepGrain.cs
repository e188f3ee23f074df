using Orleans.Concurrency;

namespace Cluster.Abstractions.Sweeps;

/// <summary>
/// One hyperparameter sweep, keyed by sweep id. Samples trials, runs each as an experiment
/// (<c>{sweep}-t{NNN}</c>, retries <c>{sweep}-t{NNN}-r{k}</c>), applies the scheduler's early-stopping decisions and
/// persists its state so it survives the loss of any silo.
/// </summary>
public interface ISweepGrain : IGrainWithStringKey
{
    /// <summary>
    /// Validates the spec and the resource request against the cluster, stores the sweep and starts it; returns at once.
    /// Throws <see cref="SweepRejectedException"/> (one line naming the file, key or id at fault); then nothing is stored.
    /// </summary>
    Task<SweepStatus> Submit(SweepSubmission submission);

    /// <summary>Throws <see cref="UnknownSweepException"/> for an id never submitted.</summary>
    Task<SweepStatus> GetStatus();

    /// <summary>Cancels the running trials and ends the sweep as Cancelled; a finished sweep is left as it is.</summary>
    Task<SweepStatus> Cancel(string reason);

    /// <summary>
    /// The merged config of a trial (the sweep's base config with the trial's parameters applied), e.g. to retrain it.
    /// Throws <see cref="UnknownSweepException"/> or <see cref="UnknownTrialException"/>.
    /// </summary>
    Task<string> GetTrialConfig(string trialId);

    /// <summary>
    /// Called by a trial's experiment on each validation and when it ends. One-way: the experiment never waits on the
    /// sweep (the sweep calls the experiment, so a two-way call could deadlock); a lost report is recovered by the
    /// sweep's reconciliation with the experiment's status.
    /// </summary>
    [OneWay]
    Task TrialReported(TrialReport report);
}

/// <summary>The sweeps <c>cluster sweep list</c> shows; key 0. Each sweep keeps its own entry up to date.</summary>
public interface ISweepIndexGrain : IGrainWithIntegerKey
{
    Task Track(SweepSummary summary);

    Task<IReadOnlyList<SweepSummary>> List();
}
