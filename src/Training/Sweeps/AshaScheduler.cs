namespace Cluster.Training.Sweeps;

/// <summary>
/// Ray Tune's AsyncHyperBandScheduler (ASHA) with one bracket. Rungs sit at grace_period·rf^k for k ≥ 0 while below
/// max_t. A result at time t is recorded at the highest rung ≤ t the trial has not been recorded at yet (at most one
/// per result); before recording, the rung's cutoff is the (1 − 1/rf) quantile of the values already recorded there
/// (numpy's nanpercentile, linear interpolation) and a metric below it stops the trial. Min mode negates metrics.
/// A trial whose time reaches max_t is complete. Results past the last rung the trial has passed change nothing.
/// </summary>
public sealed class AshaScheduler : ITrialScheduler
{
    private readonly AshaSchedulerSettings _settings;
    private readonly double _sign;
    private readonly Rung[] _rungsDescending;

    public AshaScheduler(AshaSchedulerSettings settings, MetricMode mode)
    {
        _settings = settings;
        _sign = mode == MetricMode.Max ? 1 : -1;
        _rungsDescending = Milestones(settings).Reverse().Select(milestone => new Rung(milestone)).ToArray();
    }

    /// <summary>The rung times in increasing order, e.g. 1, 2, 4 for grace 1, rf 2, max_t 8.</summary>
    public static IReadOnlyList<int> Milestones(AshaSchedulerSettings settings)
    {
        var milestones = new List<int>();
        for (long t = settings.GracePeriod; t < settings.MaxT; t *= settings.ReductionFactor) milestones.Add((int)t);
        return milestones;
    }

    public TrialDecision OnResult(string trialId, int time, double metric)
    {
        if (time >= _settings.MaxT) return TrialDecision.Complete;
        var value = _sign * metric;
        foreach (var rung in _rungsDescending)
        {
            if (time < rung.Milestone || rung.Recorded.ContainsKey(trialId)) continue;
            var cutoff = rung.Recorded.Count == 0
                ? double.NaN
                : Percentile.Of(rung.Recorded.Values, (1.0 - 1.0 / _settings.ReductionFactor) * 100.0);
            rung.Recorded[trialId] = value;
            return value < cutoff ? TrialDecision.Stop : TrialDecision.Continue;
        }
        return TrialDecision.Continue;
    }

    public void OnComplete(string trialId)
    {
    }

    private sealed record Rung(int Milestone)
    {
        public Dictionary<string, double> Recorded { get; } = [];
    }
}
