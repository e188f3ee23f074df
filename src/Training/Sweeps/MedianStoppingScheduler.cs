namespace Cluster.Training.Sweeps;

/// <summary>
/// Ray Tune's MedianStoppingRule (Vizier) with hard stops: once a trial's time t reaches grace_period and at least
/// min_samples_required other trials have a result at time ≥ t, the trial stops if its best metric so far is strictly
/// worse than the median, over those other trials, of the mean of their results with grace_period ≤ time ≤ t. With too
/// few other trials it continues (Ray would pause it for others to catch up; trials here are not paused).
/// A stopped trial stays stopped. Min mode mirrors max mode.
/// </summary>
public sealed class MedianStoppingScheduler : ITrialScheduler
{
    private readonly MedianStoppingSettings _settings;
    private readonly double _sign;
    private readonly Dictionary<string, List<(int Time, double Value)>> _results = [];
    private readonly HashSet<string> _stopped = [];

    public MedianStoppingScheduler(MedianStoppingSettings settings, MetricMode mode)
    {
        _settings = settings;
        _sign = mode == MetricMode.Max ? 1 : -1;
    }

    public TrialDecision OnResult(string trialId, int time, double metric)
    {
        if (_stopped.Contains(trialId)) return TrialDecision.Stop;
        if (!_results.TryGetValue(trialId, out var own)) _results[trialId] = own = [];
        own.Add((time, _sign * metric));
        if (time < _settings.GracePeriod) return TrialDecision.Continue;

        var others = _results.Where(pair => pair.Key != trialId && pair.Value[^1].Time >= time).Select(pair => pair.Value).ToList();
        if (others.Count < _settings.MinSamplesRequired) return TrialDecision.Continue;

        var median = Percentile.Median(others.Select(results => RunningMean(results, time)));
        var best = own.Max(result => result.Value);
        if (best < median)
        {
            _stopped.Add(trialId);
            return TrialDecision.Stop;
        }
        return TrialDecision.Continue;
    }

    public void OnComplete(string trialId)
    {
    }

    private double RunningMean(List<(int Time, double Value)> results, int time)
    {
        var scoped = results.Where(r => r.Time >= _settings.GracePeriod && r.Time <= time).Select(r => r.Value).ToList();
        return scoped.Count == 0 ? double.NaN : scoped.Average();
    }
}
