namespace Cluster.Training.Sweeps;

public enum SearchAlgorithm { Grid, Random, Tpe }

/// <summary>Whether a larger (<see cref="Max"/>) or a smaller (<see cref="Min"/>) metric is better.</summary>
public enum MetricMode { Max, Min }

/// <summary>The <c>sweep:</c> section of a spec, validated.</summary>
/// <param name="NumSamples">Trials to run; for <see cref="SearchAlgorithm.Grid"/>, repeats of the whole grid (Ray).</param>
/// <param name="Metric">Validation metric name as the engine reports it, e.g. <c>acc/top1</c>.</param>
/// <param name="MaxFailures">Retries of a failed trial (from its last checkpoint) before it counts as failed.</param>
public sealed record SweepSettings(
    SearchAlgorithm SearchAlg,
    int NumSamples,
    string Metric,
    MetricMode Mode,
    int MaxConcurrentTrials,
    int WorkersPerTrial,
    int MaxFailures,
    long Seed,
    SchedulerSettings Scheduler,
    StopConditions Stop,
    TpeSettings Tpe);

/// <summary>Optional <c>sweep.stop</c>: end the sweep after a wall-clock budget, or once a trial reaches the target
/// metric (at least it in max mode, at most it in min mode).</summary>
public sealed record StopConditions(double? TimeBudgetSeconds, double? MetricTarget)
{
    public static StopConditions None { get; } = new(null, null);

    /// <summary>Whether <paramref name="metric"/> meets <see cref="MetricTarget"/> under <paramref name="mode"/>.</summary>
    public bool TargetReached(double metric, MetricMode mode) =>
        MetricTarget is { } target && !double.IsNaN(metric) && (mode == MetricMode.Max ? metric >= target : metric <= target);
}

/// <summary>Optional <c>sweep.tpe</c> (Optuna's defaults): random trials first, the good fraction, EI candidates.</summary>
public sealed record TpeSettings(int NStartupTrials = 10, int NEiCandidates = 24, double Gamma = 0.25)
{
    public static TpeSettings Default { get; } = new();
}

/// <summary><c>sweep.scheduler</c>: when to stop a running trial early.</summary>
public abstract record SchedulerSettings
{
    /// <summary>The result attribute schedulers count time in; only <c>epoch</c> exists.</summary>
    public const string EpochTimeAttr = "epoch";
}

/// <summary>Every trial runs to its end.</summary>
public sealed record FifoSchedulerSettings : SchedulerSettings;

/// <summary>Ray Tune's AsyncHyperBandScheduler with one bracket: rungs at grace_period·reduction_factor^k &lt; max_t.</summary>
public sealed record AshaSchedulerSettings(int GracePeriod, int ReductionFactor, int MaxT) : SchedulerSettings;

/// <summary>Ray Tune's MedianStoppingRule (hard stop, no pausing).</summary>
public sealed record MedianStoppingSettings(int GracePeriod, int MinSamplesRequired) : SchedulerSettings;
