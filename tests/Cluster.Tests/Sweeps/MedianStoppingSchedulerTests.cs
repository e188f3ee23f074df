using Cluster.Training.Sweeps;

namespace Cluster.Tests.Sweeps;

public class MedianStoppingSchedulerTests
{
    [Fact]
    public void MaxModeStopsATrialWhoseBestIsBelowTheMedianOfTheOthersRunningMeans()
    {
        var rule = new MedianStoppingScheduler(new MedianStoppingSettings(GracePeriod: 1, MinSamplesRequired: 2), MetricMode.Max);
        // Too few other trials with a result at time >= t: continue.
        Assert.Equal(TrialDecision.Continue, rule.OnResult("A", 1, 0.5));  // others at >= 1: none
        Assert.Equal(TrialDecision.Continue, rule.OnResult("B", 1, 0.4));  // A only
        Assert.Equal(TrialDecision.Continue, rule.OnResult("A", 2, 0.6));  // none at >= 2
        Assert.Equal(TrialDecision.Continue, rule.OnResult("B", 2, 0.45)); // A only
        // C at 1: A and B have results at >= 1. Their means over 1 <= time <= 1: A .5, B .4 -> median .45; best .3 < .45.
        Assert.Equal(TrialDecision.Stop, rule.OnResult("C", 1, 0.3));
        // A stopped trial stays stopped, whatever it reports next (and its result is not recorded).
        Assert.Equal(TrialDecision.Stop, rule.OnResult("C", 2, 0.9));
        // D at 2: others with a result at >= 2 are A and B (C's last counted result is at 1).
        // Means over 1..2: A (.5 + .6) / 2 = .55, B (.4 + .45) / 2 = .425 -> median .4875; best .5 >= .4875 -> continue.
        Assert.Equal(TrialDecision.Continue, rule.OnResult("D", 2, 0.5));
        Assert.Equal(TrialDecision.Continue, rule.OnResult("E", 3, 0.5)); // none at >= 3
        Assert.Equal(TrialDecision.Continue, rule.OnResult("A", 3, 0.7)); // E only
        // B at 3: others at >= 3 are E and A. Means over 1..3: E .5, A (.5 + .6 + .7) / 3 = .6 -> median .55;
        // B's best so far max(.4, .45, .42) = .45 < .55 -> stop.
        Assert.Equal(TrialDecision.Stop, rule.OnResult("B", 3, 0.42));
    }

    [Fact]
    public void MinModeMirrorsAndResultsBeforeTheGracePeriodCountOnlyForTheBest()
    {
        var rule = new MedianStoppingScheduler(new MedianStoppingSettings(GracePeriod: 2, MinSamplesRequired: 1), MetricMode.Min);
        Assert.Equal(TrialDecision.Continue, rule.OnResult("A", 1, 0.9)); // before the grace period
        Assert.Equal(TrialDecision.Continue, rule.OnResult("B", 1, 0.2)); // before the grace period
        Assert.Equal(TrialDecision.Continue, rule.OnResult("A", 2, 0.8)); // no other trial at >= 2
        // B at 2: A's mean over 2..2 is .8 (its epoch-1 result is before the grace period) -> median .8. B's best is the
        // lowest loss it ever reported, .2 at epoch 1 (Ray's best takes every result) -> not worse -> continue.
        Assert.Equal(TrialDecision.Continue, rule.OnResult("B", 2, 0.85));
        // C at 2: means over 2..2: A .8, B .85 -> median .825; best .95 is worse (higher) -> stop.
        Assert.Equal(TrialDecision.Stop, rule.OnResult("C", 2, 0.95));
        // D at 2: A .8, B .85, C .95 (C's result at 2 was recorded before it was stopped) -> median .85; .81 is better.
        Assert.Equal(TrialDecision.Continue, rule.OnResult("D", 2, 0.81));
    }
}
