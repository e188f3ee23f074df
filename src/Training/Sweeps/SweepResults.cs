namespace Cluster.Training.Sweeps;

/// <summary>A trial as the best-trial choice sees it.</summary>
/// <param name="Metric">Its metric (the last one it reported), null when it has none.</param>
/// <param name="Finished">Completed, or stopped early by the scheduler; running, pending and failed trials are not.</param>
public sealed record TrialOutcome(string TrialId, double? Metric, bool Finished);

/// <summary>Picks results out of a sweep's trials.</summary>
public static class SweepResults
{
    /// <summary>
    /// The finished trial with the best non-NaN metric under <paramref name="mode"/>, null when none has one; ties go
    /// to the trial listed first.
    /// </summary>
    public static TrialOutcome? Best(IEnumerable<TrialOutcome> trials, MetricMode mode)
    {
        TrialOutcome? best = null;
        foreach (var trial in trials)
        {
            if (!trial.Finished || trial.Metric is not { } metric || double.IsNaN(metric)) continue;
            if (best is null || IsBetter(metric, best.Metric!.Value, mode)) best = trial;
        }
        return best;
    }

    /// <summary>Whether <paramref name="candidate"/> is strictly better than <paramref name="incumbent"/>.</summary>
    public static bool IsBetter(double candidate, double incumbent, MetricMode mode) =>
        mode == MetricMode.Max ? candidate > incumbent : candidate < incumbent;
}
